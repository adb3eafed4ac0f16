package io.elapse.pipeline.records;

/**
 * A learner's accumulated gradient and calibration pairs since its last batch, sent to the
 * coordinator.
 */
public class GradientBatch {

  /** The learner subtask that produced it. */
  public int subtask;

  /** The model version (epoch) the gradient was computed against. */
  public long epoch;

  /** The model version (step) the gradient was computed against. */
  public long step;

  /** Labels applied in this batch. */
  public int labels;

  /** Present (unmasked) task targets in this batch. */
  public int labelsPresent;

  /** Sum of the per-label losses. */
  public double lossSum;

  /** The summed gradient, encoded by the model's {@code Gradient.encode()}. */
  public byte[] gradient;

  /** Calibration pairs: task index. */
  public int[] pairTask;

  /** Calibration pairs: logit of the current model at the labelled event. */
  public float[] pairLogit;

  /** Calibration pairs: target in [0,1]. */
  public float[] pairTarget;

  /** For Flink's POJO serializer. */
  public GradientBatch() {}
}
