/**
 * The time-aware LSTM cell kernels (forward, backward, head) on flat {@code float[]} parameters,
 * with the three time modulations of {@link io.elapse.model.config.TimeModulation}.
 */
package io.elapse.model.cell;
