package io.elapse.pipeline.eval;

/**
 * What the evaluator's join sends to its reporter: one joined label (a prediction's per-task
 * probabilities and sets with the label's per-task targets) and/or counter increments. A Flink
 * POJO; arrays are indexed by the evaluator's task order.
 */
public class JoinUpdate {

  /**
   * Per task probability of the joined prediction (NaN when it has no entry); null: counts only.
   */
  public double[] probabilities;

  /** Per task target of the joined label, NaN when missing (or not evaluable). */
  public double[] targets;

  /** Per task conformal set as a {@code PredictionSet} ordinal, -1 when none. */
  public byte[] sets;

  /** Label time minus the prediction's event time. */
  public long labelDelayMillis;

  /** Model epoch of the joined prediction. */
  public long modelEpoch;

  /** Model step of the joined prediction. */
  public long modelStep;

  /** Predictions read since the previous update. */
  public long predictions;

  /** Duplicate predictions since the previous update. */
  public long duplicatePredictions;

  /** Labels read since the previous update. */
  public long labels;

  /** Labels that found no prediction, since the previous update. */
  public long unmatchedLabels;

  /** Predictions that left the retention without a label, since the previous update. */
  public long unlabelledPredictions;

  /** Unknown or unpredicted tasks seen since the previous update. */
  public long unknownTasks;

  /** For Flink's POJO serializer. */
  public JoinUpdate() {}

  /** Whether this update carries a joined label. */
  public boolean isJoin() {
    return probabilities != null;
  }

  /** Whether any counter is non-zero. */
  public boolean hasCounts() {
    return predictions != 0
        || duplicatePredictions != 0
        || labels != 0
        || unmatchedLabels != 0
        || unlabelledPredictions != 0
        || unknownTasks != 0;
  }
}
