package io.elapse.pipeline.records;

/**
 * A verified model version as the learners use it: parameters plus the per-task calibration and
 * conformal state. Decoded from a {@code ModelUpdate} after its integrity check.
 */
public class ModelState {

  /** Coordinator epoch. */
  public long epoch;

  /** Step within the epoch. */
  public long step;

  /** Flat parameters in the model's layout. */
  public float[] parameters;

  /** Platt slope per task. */
  public double[] plattScale;

  /** Platt intercept per task. */
  public double[] plattBias;

  /** Conformal threshold per task: label y is in the set when 1 - p(y) is at most this. */
  public double[] conformalThreshold;

  /** Wall-clock time the coordinator created it. */
  public long createdAt;

  /** For Flink's POJO serializer. */
  public ModelState() {}

  /** Whether this version is newer than (epoch, step). */
  public boolean isNewerThan(long otherEpoch, long otherStep) {
    return epoch > otherEpoch || (epoch == otherEpoch && step > otherStep);
  }
}
