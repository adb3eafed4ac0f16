package io.elapse.pipeline.it;

import io.elapse.avro.Label;
import io.elapse.avro.Prediction;
import io.elapse.avro.TaskPrediction;
import io.elapse.pipeline.synth.SyntheticStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Joins predictions with the labels that were produced, by (entityId, eventId), in the test. */
final class Prequential {

  /** Joined (probability, outcome) pairs of every present task target. */
  record Joined(double[] scores, double[] outcomes, int missingPredictions) {

    double positiveRate() {
      return Arrays.stream(outcomes).average().orElse(Double.NaN);
    }

    /** AUC by the rank-sum formula with average ranks for ties. */
    double auc() {
      int n = scores.length;
      Integer[] idx = new Integer[n];
      for (int i = 0; i < n; i++) {
        idx[i] = i;
      }
      Arrays.sort(idx, (a, b) -> Double.compare(scores[a], scores[b]));
      double[] rank = new double[n];
      int i = 0;
      while (i < n) {
        int j = i;
        while (j + 1 < n && scores[idx[j + 1]] == scores[idx[i]]) {
          j++;
        }
        double avg = (i + j) / 2.0 + 1;
        for (int k = i; k <= j; k++) {
          rank[idx[k]] = avg;
        }
        i = j + 1;
      }
      double pos = 0;
      double sumRanks = 0;
      for (int k = 0; k < n; k++) {
        if (outcomes[k] >= 0.5) {
          pos++;
          sumRanks += rank[k];
        }
      }
      double neg = n - pos;
      return (sumRanks - pos * (pos + 1) / 2) / (pos * neg);
    }
  }

  private Prequential() {}

  /**
   * Pairs every present target of the labels of events with index {@code >= fromEventIndex} with
   * the prediction for its event.
   */
  static Joined join(
      List<Prediction> predictions,
      List<SyntheticStream.GeneratedLabel> labels,
      int fromEventIndex) {
    return join(predictions, labels, fromEventIndex, false);
  }

  /** As {@link #join(List, List, int)}, scoring by the raw logit when {@code rawLogits}. */
  static Joined join(
      List<Prediction> predictions,
      List<SyntheticStream.GeneratedLabel> labels,
      int fromEventIndex,
      boolean rawLogits) {
    Map<String, Prediction> byEvent = new HashMap<>();
    for (Prediction p : predictions) {
      byEvent.put(p.getEntityId() + "/" + p.getEventId(), p);
    }
    List<double[]> pairs = new ArrayList<>();
    int missing = 0;
    for (SyntheticStream.GeneratedLabel gl : labels) {
      if (gl.eventIndex() < fromEventIndex) {
        continue;
      }
      Label l = gl.label();
      Prediction p = byEvent.get(l.getEntityId() + "/" + l.getEventId());
      if (p == null) {
        missing++;
        continue;
      }
      for (TaskPrediction t : p.getTasks()) {
        Double y = l.getTargets().get(t.getTask());
        if (y != null) {
          pairs.add(new double[] {rawLogits ? t.getLogit() : t.getProbability(), y});
        }
      }
    }
    double[] s = new double[pairs.size()];
    double[] y = new double[pairs.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = pairs.get(i)[0];
      y[i] = pairs.get(i)[1];
    }
    return new Joined(s, y, missing);
  }
}
