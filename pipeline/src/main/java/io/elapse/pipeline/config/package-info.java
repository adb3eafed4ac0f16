/** Every setting of the job as a Flink {@code ConfigOption} with a default, in one place. */
package io.elapse.pipeline.config;
