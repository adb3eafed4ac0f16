/**
 * First-order optimizers on flat {@code float[]} parameter vectors: {@link
 * io.elapse.model.optim.Adam} (Kingma and Ba 2015) and {@link io.elapse.model.optim.Sgd}, behind
 * {@link io.elapse.model.optim.Optimizer}, configured by {@link
 * io.elapse.model.optim.OptimizerConfig}.
 *
 * <p>Lifecycle: create with the parameter count, call {@code step} once per (accumulated) gradient
 * — it updates the parameters in place, the one argument mutation the house style allows — and
 * checkpoint with {@code snapshot()} / {@code restore(byte[])}, which are bit-exact. Pure Java
 * loops: on this machine they beat ND4J's Adam updater for the vector sizes Elapse uses (see {@code
 * model/OPTIMIZER_BENCH.md}).
 */
package io.elapse.model.optim;
