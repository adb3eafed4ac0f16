package io.elapse.model.train;

/**
 * The result of one truncated-BPTT pass.
 *
 * @param loss the summed loss of the labelled positions (each the mean over its present labels),
 *     plus the L2 terms
 * @param labelsPresent total number of present (non-missing) labels
 * @param gradient the gradient of {@code loss} w.r.t. all parameters
 * @param labelLogits for each label, in the order given, the K logits the current parameters
 *     produce at its position (before this gradient is applied): the prequential logits the
 *     coordinator calibrates with; empty when no label was given
 */
public record TrainingResult(
    double loss, int labelsPresent, Gradient gradient, float[][] labelLogits) {

  /** The K logits at the position of label {@code i} (a copy). */
  public float[] logits(int i) {
    return TrainingSummary.copyOf(labelLogits, i);
  }
}
