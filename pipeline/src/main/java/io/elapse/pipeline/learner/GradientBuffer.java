package io.elapse.pipeline.learner;

import io.elapse.model.EntityState;
import io.elapse.model.train.GradientAccumulator;
import io.elapse.model.train.LabeledPosition;
import io.elapse.model.train.TbpttTrainer;
import io.elapse.model.train.TrainingSummary;
import io.elapse.pipeline.records.GradientBatch;
import java.util.List;

/**
 * A learner subtask's pending training work: gradients of applied labels summed by the model's
 * {@link GradientAccumulator}, and the (task, logit, target) pairs the coordinator calibrates with.
 * Drained into a {@link GradientBatch}.
 */
final class GradientBuffer {

  private final Scorer scorer;
  private final int subtask;
  private TbpttTrainer trainer;
  private GradientAccumulator accumulator;
  private int labels;
  private int[] pairTask = new int[64];
  private float[] pairLogit = new float[64];
  private float[] pairTarget = new float[64];
  private int pairs;
  private long epoch;
  private long step;

  GradientBuffer(Scorer scorer, int subtask) {
    this.scorer = scorer;
    this.subtask = subtask;
  }

  /** Computes the masked gradient of one label at {@code seq} and adds it to the batch. */
  void add(EntityState state, long seq, float[] targets, float weight) {
    if (trainer == null) {
      trainer = new TbpttTrainer(scorer.config());
      accumulator = new GradientAccumulator(scorer.model().layout());
    }
    if (labels == 0) {
      epoch = scorer.epoch();
      step = scorer.step();
    }
    TrainingSummary result =
        trainer.accumulate(
            scorer.model(), state, List.of(new LabeledPosition(seq, targets, weight)), accumulator);
    labels++;
    float[] logits = result.logits(0);
    for (int k = 0; k < targets.length; k++) {
      if (!Float.isNaN(targets[k])) {
        addPair(k, logits[k], targets[k]);
      }
    }
  }

  private void addPair(int task, float logit, float target) {
    if (pairs == pairTask.length) {
      pairTask = java.util.Arrays.copyOf(pairTask, pairs * 2);
      pairLogit = java.util.Arrays.copyOf(pairLogit, pairs * 2);
      pairTarget = java.util.Arrays.copyOf(pairTarget, pairs * 2);
    }
    pairTask[pairs] = task;
    pairLogit[pairs] = logit;
    pairTarget[pairs] = target;
    pairs++;
  }

  /** Labels in the current batch. */
  int labels() {
    return labels;
  }

  /** The current batch, or null when empty; the buffer is empty afterwards. */
  GradientBatch drain() {
    if (labels == 0) {
      return null;
    }
    GradientBatch b = new GradientBatch();
    b.subtask = subtask;
    b.epoch = epoch;
    b.step = step;
    b.labels = labels;
    b.labelsPresent = (int) accumulator.labelsPresent();
    b.lossSum = accumulator.lossSum();
    b.gradient = accumulator.sum().encode();
    b.pairTask = java.util.Arrays.copyOf(pairTask, pairs);
    b.pairLogit = java.util.Arrays.copyOf(pairLogit, pairs);
    b.pairTarget = java.util.Arrays.copyOf(pairTarget, pairs);
    accumulator.reset();
    labels = 0;
    pairs = 0;
    return b;
  }
}
