/**
 * The Flink job: the topology as a function of injected sources and sinks, thin operators that call
 * {@code io.elapse.model}, the coordinator, the model loop, metrics.
 */
package io.elapse.pipeline;
