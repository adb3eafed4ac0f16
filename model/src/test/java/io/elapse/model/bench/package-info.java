/**
 * JMH benchmarks of the per-event kernels (forward step + head, one label's TBPTT update) and of
 * their DL4J peers, and {@link io.elapse.model.bench.KernelBench}, the runner behind {@code
 * ./elapse bench kernel}.
 */
package io.elapse.model.bench;
