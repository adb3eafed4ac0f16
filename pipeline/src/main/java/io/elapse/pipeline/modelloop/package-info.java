/**
 * The model loop: integrity-checked {@code ModelUpdate}s on the compacted model topic, read back as
 * a broadcast stream of verified model versions.
 */
package io.elapse.pipeline.modelloop;
