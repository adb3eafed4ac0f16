package io.elapse.model.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.elapse.model.calibration.AdaptiveConformal;
import io.elapse.model.calibration.Confidence;
import io.elapse.model.calibration.PlattScaler;
import io.elapse.model.calibration.PredictionSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's flow end to end on a masked multi-task stream: raw logit → Platt → conformal
 * set → confidence, evaluated prequentially, then learn from the labels that arrived.
 */
class CalibrationPipelineTest {

  @Test
  void calibratedSetsAndMetricsAgree() {
    int tasks = 3;
    int examples = 30_000;
    Random rnd = new Random(77);
    PlattScaler platt = new PlattScaler(tasks);
    AdaptiveConformal conformal = new AdaptiveConformal(tasks);
    PrequentialMetrics raw = PrequentialMetrics.cumulative(tasks);
    PrequentialMetrics late = PrequentialMetrics.sliding(tasks, 5_000, 2);
    double confidenceSum = 0;
    for (int i = 0; i < examples; i++) {
      double[] probs = new double[tasks];
      double[] targets = new double[tasks];
      double[] rawProbs = new double[tasks];
      PredictionSet[] sets = new PredictionSet[tasks];
      double[] logits = new double[tasks];
      for (int t = 0; t < tasks; t++) {
        double zTrue = 1.5 * rnd.nextGaussian() - t;
        logits[t] = 2.5 * zTrue + 1.0; // a mis-scaled model
        rawProbs[t] = 1 / (1 + Math.exp(-logits[t]));
        probs[t] = platt.probability(t, logits[t]);
        sets[t] = conformal.set(t, probs[t]);
        boolean labelled = rnd.nextDouble() < 0.7; // 30% of labels never arrive
        targets[t] =
            labelled ? (rnd.nextDouble() < 1 / (1 + Math.exp(-zTrue)) ? 1.0 : 0.0) : Double.NaN;
      }
      confidenceSum += Confidence.overall(sets, probs);
      raw.addExample(rawProbs, targets, null);
      late.addExample(probs, targets, sets);
      for (int t = 0; t < tasks; t++) {
        if (!Double.isNaN(targets[t])) {
          conformal.update(t, probs[t], targets[t], sets[t]);
          platt.update(t, logits[t], targets[t], 1.0);
        }
      }
    }
    MetricsReport r = late.report();
    MetricsReport before = raw.report();
    for (int t = 0; t < tasks; t++) {
      assertThat(before.task(t).ece()).as("raw ECE task %d", t).isGreaterThan(0.05);
      assertThat(r.task(t).ece()).as("calibrated ECE task %d", t).isLessThanOrEqualTo(0.03);
      assertThat(r.task(t).count()).isEqualTo(5_000);
      assertThat(r.task(t).setCount()).isEqualTo(5_000);
      // coverage over the window is close to 1 - alpha; over the whole stream it is tight
      assertThat(r.task(t).setCoverage()).isCloseTo(0.9, within(0.03));
      assertThat(1 - conformal.miscoverage(t)).isCloseTo(0.9, within(0.015));
      // calibration does not change the ranking: AUC of raw and calibrated agree
      assertThat(r.task(t).auc()).isGreaterThan(0.7);
    }
    double meanConfidence = confidenceSum / examples;
    System.out.println(
        "window report: "
            + r.overall()
            + ", raw overall ECE "
            + before.overall().ece()
            + ", mean confidence "
            + meanConfidence);
    assertThat(meanConfidence).isBetween(0.2, 1.0);
  }
}
