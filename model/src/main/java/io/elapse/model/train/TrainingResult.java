package io.elapse.model.train;

/**
 * The result of one truncated-BPTT pass.
 *
 * @param loss the summed loss of the labelled positions (each the mean over its present labels),
 *     plus the L2 terms
 * @param labelsPresent total number of present (non-missing) labels
 * @param gradient the gradient of {@code loss} w.r.t. all parameters
 */
public record TrainingResult(double loss, int labelsPresent, Gradient gradient) {}
