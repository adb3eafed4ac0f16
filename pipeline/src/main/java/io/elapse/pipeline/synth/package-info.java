/**
 * A seeded synthetic stream whose outcomes depend on elapsed time, with known true probabilities,
 * sparse partial labels, late labels and an optional concept drift: the input of the demo, the
 * tests and the benchmarks.
 */
package io.elapse.pipeline.synth;
