package io.elapse.model.loss;

/**
 * The masked loss of one example and its gradient.
 *
 * @param loss the loss (0 when no label is present)
 * @param labelsPresent number of tasks with a target
 * @param dLogits dLoss/dlogit (K; 0 for missing tasks); owned by the caller
 */
public record LossResult(double loss, int labelsPresent, float[] dLogits) {}
