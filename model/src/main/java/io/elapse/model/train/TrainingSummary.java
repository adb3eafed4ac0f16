package io.elapse.model.train;

/**
 * What {@link TbpttTrainer#accumulate} reports of one pass whose gradient went into an accumulator.
 *
 * @param loss as {@link TrainingResult#loss()}
 * @param labelsPresent as {@link TrainingResult#labelsPresent()}
 * @param labelLogits as {@link TrainingResult#labelLogits()}
 */
public record TrainingSummary(double loss, int labelsPresent, float[][] labelLogits) {

  /** The K logits at the position of label {@code i} (a copy). */
  public float[] logits(int i) {
    return copyOf(labelLogits, i);
  }

  /** A copy of {@code labelLogits[i]}, with a clear error for a bad index. */
  static float[] copyOf(float[][] labelLogits, int i) {
    if (i < 0 || i >= labelLogits.length) {
      throw new IndexOutOfBoundsException(
          "expected a label index in [0, " + labelLogits.length + "), got " + i);
    }
    return labelLogits[i].clone();
  }
}
