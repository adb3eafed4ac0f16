/**
 * {@code ./elapse demo}: a real broker, the job on a MiniCluster, a live synthetic stream, a
 * report.
 */
package io.elapse.pipeline.demo;
