package io.elapse.model.config;

import java.util.Arrays;

/**
 * Options of the masked binary cross-entropy loss: per-task positive-class weight ({@code
 * pos_weight} as in PyTorch {@code BCEWithLogitsLoss}), per-task task weight, and optional L2
 * penalties on hidden activations and on weight matrices.
 *
 * <p>The arrays are copied on construction and on access.
 */
public final class LossConfig {
  private final float[] posWeight;
  private final float[] taskWeight;
  private final float l2Activity;
  private final float l2Weights;

  /**
   * Creates a validated loss configuration.
   *
   * @param posWeight per-task positive weight, each finite and &gt; 0
   * @param taskWeight per-task weight, each finite and ≥ 0
   * @param l2Activity coefficient of Σ h² at each labelled position, ≥ 0
   * @param l2Weights coefficient of Σ w² over the weight matrices, ≥ 0
   */
  public LossConfig(float[] posWeight, float[] taskWeight, float l2Activity, float l2Weights) {
    if (posWeight == null || taskWeight == null) {
      throw new IllegalArgumentException("expected posWeight and taskWeight arrays, got null");
    }
    if (posWeight.length != taskWeight.length) {
      throw new IllegalArgumentException(
          "expected taskWeight of length "
              + posWeight.length
              + " (posWeight length), got "
              + taskWeight.length);
    }
    for (int k = 0; k < posWeight.length; k++) {
      if (!(posWeight[k] > 0) || Float.isInfinite(posWeight[k])) {
        throw new IllegalArgumentException(
            "expected posWeight[" + k + "] finite and > 0, got " + posWeight[k]);
      }
      if (!(taskWeight[k] >= 0) || Float.isInfinite(taskWeight[k])) {
        throw new IllegalArgumentException(
            "expected taskWeight[" + k + "] finite and >= 0, got " + taskWeight[k]);
      }
    }
    if (!(l2Activity >= 0) || Float.isInfinite(l2Activity)) {
      throw new IllegalArgumentException("expected l2Activity finite and >= 0, got " + l2Activity);
    }
    if (!(l2Weights >= 0) || Float.isInfinite(l2Weights)) {
      throw new IllegalArgumentException("expected l2Weights finite and >= 0, got " + l2Weights);
    }
    this.posWeight = posWeight.clone();
    this.taskWeight = taskWeight.clone();
    this.l2Activity = l2Activity;
    this.l2Weights = l2Weights;
  }

  /** All weights 1, no L2 penalties, for {@code numTasks} tasks. */
  public static LossConfig uniform(int numTasks) {
    float[] ones = new float[numTasks];
    Arrays.fill(ones, 1f);
    return new LossConfig(ones, ones, 0f, 0f);
  }

  /** Number of tasks K. */
  public int numTasks() {
    return posWeight.length;
  }

  /** A copy of the per-task positive weights. */
  public float[] posWeight() {
    return posWeight.clone();
  }

  /** A copy of the per-task task weights. */
  public float[] taskWeight() {
    return taskWeight.clone();
  }

  /** Positive weight of task k. */
  public float posWeightAt(int k) {
    return posWeight[k];
  }

  /** Task weight of task k. */
  public float taskWeightAt(int k) {
    return taskWeight[k];
  }

  /** Coefficient of the activity penalty. */
  public float l2Activity() {
    return l2Activity;
  }

  /** Coefficient of the weight penalty. */
  public float l2Weights() {
    return l2Weights;
  }

  /** A copy with other L2 coefficients. */
  public LossConfig withL2(float newL2Activity, float newL2Weights) {
    return new LossConfig(posWeight, taskWeight, newL2Activity, newL2Weights);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LossConfig other
        && Arrays.equals(posWeight, other.posWeight)
        && Arrays.equals(taskWeight, other.taskWeight)
        && Float.compare(l2Activity, other.l2Activity) == 0
        && Float.compare(l2Weights, other.l2Weights) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(posWeight) + Arrays.hashCode(taskWeight))
        + Float.hashCode(l2Activity) * 7
        + Float.hashCode(l2Weights);
  }

  @Override
  public String toString() {
    return "LossConfig{posWeight="
        + Arrays.toString(posWeight)
        + ", taskWeight="
        + Arrays.toString(taskWeight)
        + ", l2Activity="
        + l2Activity
        + ", l2Weights="
        + l2Weights
        + '}';
  }
}
