package io.elapse.model.calibration;

/**
 * The overall confidence of one prediction across tasks.
 *
 * <p>Definition (also the Avro field {@code Prediction.confidence}): the fraction of predicted
 * tasks whose conformal set is a single label, in [0, 1]. A task counts as predicted when its set
 * is not null and its probability is not NaN. A singleton set at miscoverage alpha means the label
 * is pinned down with coverage about 1 − alpha; {@link PredictionSet#BOTH} (undecided) and {@link
 * PredictionSet#EMPTY} (the model's belief is contradicted at this level) count as not confident.
 * With no predicted task the confidence is 0.
 */
public final class Confidence {

  private Confidence() {}

  /**
   * Fraction of tasks with a singleton conformal set, see the class javadoc.
   *
   * @param sets per task the conformal set (null = task not predicted)
   * @param probs per task the calibrated probability (NaN = task not predicted); same length
   */
  public static double overall(PredictionSet[] sets, double[] probs) {
    if (sets.length != probs.length) {
      throw new IllegalArgumentException(
          "expected as many probabilities as sets (" + sets.length + "), got " + probs.length);
    }
    int predicted = 0;
    int singletons = 0;
    for (int i = 0; i < sets.length; i++) {
      if (sets[i] == null || Double.isNaN(probs[i])) {
        continue;
      }
      predicted++;
      if (sets[i].isSingleton()) {
        singletons++;
      }
    }
    return predicted == 0 ? 0.0 : (double) singletons / predicted;
  }
}
