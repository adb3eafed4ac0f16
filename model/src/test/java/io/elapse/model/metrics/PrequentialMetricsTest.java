package io.elapse.model.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.elapse.model.calibration.PredictionSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrequentialMetricsTest {

  private static final int K = 4;
  private static final int EXAMPLES = 1500;
  private static final double TOL = 1e-9;

  /** One present label. */
  record Label(double p, double y, PredictionSet set) {}

  /** A random masked data set: probabilities on a coarse grid (ties), some soft targets. */
  static final class Data {
    final double[][] probs = new double[EXAMPLES][K];
    final double[][] targets = new double[EXAMPLES][K];
    final PredictionSet[][] sets = new PredictionSet[EXAMPLES][K];

    Data(long seed) {
      Random rnd = new Random(seed);
      for (int i = 0; i < EXAMPLES; i++) {
        for (int t = 0; t < K; t++) {
          double p = Math.round(rnd.nextDouble() * 40) / 40.0;
          probs[i][t] = p;
          double r = rnd.nextDouble();
          if (r < 0.3) {
            targets[i][t] = Double.NaN;
          } else if (r < 0.4) {
            targets[i][t] = rnd.nextDouble();
          } else {
            targets[i][t] = rnd.nextDouble() < p ? 1.0 : 0.0;
          }
          int s = rnd.nextInt(5);
          sets[i][t] = s == 4 ? null : PredictionSet.values()[s];
        }
      }
    }

    List<Label> labels(int task, int fromExample) {
      List<Label> out = new ArrayList<>();
      for (int i = fromExample; i < EXAMPLES; i++) {
        if (!Double.isNaN(targets[i][task])) {
          out.add(new Label(probs[i][task], targets[i][task], sets[i][task]));
        }
      }
      return out;
    }
  }

  static double bruteAuc(List<Label> ls) {
    double wins = 0;
    long pairs = 0;
    for (Label a : ls) {
      for (Label b : ls) {
        if (a.y() >= 0.5 && b.y() < 0.5) {
          pairs++;
          wins += a.p() > b.p() ? 1 : a.p() == b.p() ? 0.5 : 0;
        }
      }
    }
    return pairs == 0 ? Double.NaN : wins / pairs;
  }

  static double bruteEce(List<Label> ls) {
    double e = 0;
    for (int b = 0; b < 15; b++) {
      double lo = b / 15.0;
      double hi = (b + 1) / 15.0;
      List<Label> in = new ArrayList<>();
      for (Label l : ls) {
        if (l.p() >= lo && (l.p() < hi || (b == 14 && l.p() <= 1.0))) {
          in.add(l);
        }
      }
      if (in.isEmpty()) {
        continue;
      }
      double meanP = in.stream().mapToDouble(Label::p).average().orElseThrow();
      double meanY = in.stream().mapToDouble(Label::y).average().orElseThrow();
      e += (double) in.size() / ls.size() * Math.abs(meanP - meanY);
    }
    return e;
  }

  static void assertMatchesBruteForce(TaskMetrics m, List<Label> ls) {
    assertThat(m.count()).isEqualTo(ls.size());
    double logLoss = 0;
    double brier = 0;
    double correct = 0;
    double pos = 0;
    long setN = 0;
    long covered = 0;
    long sizeSum = 0;
    for (Label l : ls) {
      double p = Math.min(Math.max(l.p(), 1e-15), 1 - 1e-15);
      logLoss += -(l.y() * Math.log(p) + (1 - l.y()) * Math.log(1 - p));
      brier += (l.p() - l.y()) * (l.p() - l.y());
      correct += (l.p() >= 0.5) == (l.y() >= 0.5) ? 1 : 0;
      pos += l.y();
      if (l.set() != null) {
        setN++;
        covered += l.set().contains(l.y() >= 0.5 ? 1 : 0) ? 1 : 0;
        sizeSum += l.set().size();
      }
    }
    int n = ls.size();
    assertThat(m.logLoss()).isCloseTo(logLoss / n, within(TOL));
    assertThat(m.brier()).isCloseTo(brier / n, within(TOL));
    assertThat(m.accuracy()).isCloseTo(correct / n, within(TOL));
    assertThat(m.positiveRate()).isCloseTo(pos / n, within(TOL));
    assertThat(m.ece()).isCloseTo(bruteEce(ls), within(TOL));
    assertThat(m.auc()).isCloseTo(bruteAuc(ls), within(TOL));
    assertThat(m.setCount()).isEqualTo(setN);
    assertThat(m.setCoverage()).isCloseTo((double) covered / setN, within(TOL));
    assertThat(m.averageSetSize()).isCloseTo((double) sizeSum / setN, within(TOL));
  }

  /** Brute-force precision and recall at k, averaged as documented. */
  static double[] bruteAtK(Data d, int k, int fromExample) {
    double ps = 0;
    int pc = 0;
    double rs = 0;
    int rc = 0;
    for (int i = fromExample; i < EXAMPLES; i++) {
      final int row = i;
      List<Integer> present = new ArrayList<>();
      for (int t = 0; t < K; t++) {
        if (!Double.isNaN(d.targets[i][t])) {
          present.add(t);
        }
      }
      if (present.isEmpty()) {
        continue;
      }
      present.sort(
          Comparator.<Integer>comparingDouble(t -> -d.probs[row][t]).thenComparing(t -> t));
      int top = Math.min(k, present.size());
      int hits = 0;
      for (int r = 0; r < top; r++) {
        hits += d.targets[i][present.get(r)] >= 0.5 ? 1 : 0;
      }
      long positives = present.stream().filter(t -> d.targets[row][t] >= 0.5).count();
      ps += (double) hits / top;
      pc++;
      if (positives > 0) {
        rs += (double) hits / positives;
        rc++;
      }
    }
    return new double[] {ps / pc, rs / rc};
  }

  @Test
  void cumulativeEqualsBruteForce() {
    Data d = new Data(17);
    PrequentialMetrics m = PrequentialMetrics.cumulative(K, 2, 100_000, 1);
    for (int i = 0; i < EXAMPLES; i++) {
      m.addExample(d.probs[i], d.targets[i], d.sets[i]);
    }
    MetricsReport r = m.report();
    List<Label> all = new ArrayList<>();
    for (int t = 0; t < K; t++) {
      List<Label> ls = d.labels(t, 0);
      assertMatchesBruteForce(r.task(t), ls);
      assertThat(r.task(t).aucExact()).isTrue();
      all.addAll(ls);
    }
    assertMatchesBruteForce(r.overall(), all);
    double macro = 0;
    for (int t = 0; t < K; t++) {
      macro += bruteAuc(d.labels(t, 0)) / K;
    }
    assertThat(r.macroAuc()).isCloseTo(macro, within(TOL));
    double[] atK = bruteAtK(d, 2, 0);
    assertThat(r.k()).isEqualTo(2);
    assertThat(r.examples()).isEqualTo(EXAMPLES);
    assertThat(r.precisionAtK()).isCloseTo(atK[0], within(TOL));
    assertThat(r.recallAtK()).isCloseTo(atK[1], within(TOL));
  }

  @Test
  void slidingWindowEqualsBruteForceOverTheLastLabels() {
    Data d = new Data(23);
    int window = 300;
    PrequentialMetrics m = PrequentialMetrics.sliding(K, window, 3);
    for (int i = 0; i < EXAMPLES; i++) {
      m.addExample(d.probs[i], d.targets[i], d.sets[i]);
    }
    MetricsReport r = m.report();
    for (int t = 0; t < K; t++) {
      List<Label> ls = d.labels(t, 0);
      assertMatchesBruteForce(r.task(t), ls.subList(ls.size() - window, ls.size()));
    }
    double[] atK = bruteAtK(d, 3, EXAMPLES - window);
    assertThat(r.examples()).isEqualTo(window);
    assertThat(r.precisionAtK()).isCloseTo(atK[0], within(TOL));
    assertThat(r.recallAtK()).isCloseTo(atK[1], within(TOL));
    m.reset();
    assertThat(m.report().overall().count()).isZero();
  }

  @Test
  void reservoirAucIsFlaggedAndClose() {
    Data d = new Data(29);
    PrequentialMetrics m = PrequentialMetrics.cumulative(K, 5, 400, 3);
    for (int i = 0; i < EXAMPLES; i++) {
      m.addExample(d.probs[i], d.targets[i], d.sets[i]);
    }
    MetricsReport r = m.report();
    for (int t = 0; t < K; t++) {
      List<Label> ls = d.labels(t, 0);
      assertThat(r.task(t).aucExact()).isFalse();
      assertThat(r.task(t).count()).isEqualTo(ls.size());
      assertThat(r.task(t).ece()).isCloseTo(bruteEce(ls), within(TOL));
      assertThat(r.task(t).auc()).isCloseTo(bruteAuc(ls), within(0.06));
    }
    assertThat(r.overall().aucExact()).isFalse();
  }

  @Test
  void snapshotRestoreContinuesIdentically() {
    Data d = new Data(31);
    for (PrequentialMetrics m :
        new PrequentialMetrics[] {
          PrequentialMetrics.cumulative(K, 2, 300, 5), PrequentialMetrics.sliding(K, 200, 3)
        }) {
      for (int i = 0; i < EXAMPLES / 2; i++) {
        m.addExample(d.probs[i], d.targets[i], d.sets[i]);
      }
      PrequentialMetrics copy = PrequentialMetrics.fromSnapshot(m.snapshot());
      assertThat(copy.report()).isEqualTo(m.report());
      for (int i = EXAMPLES / 2; i < EXAMPLES; i++) {
        m.addExample(d.probs[i], d.targets[i], d.sets[i]);
        copy.addExample(d.probs[i], d.targets[i], d.sets[i]);
      }
      assertThat(copy.report()).isEqualTo(m.report());
      assertThat(copy.snapshot()).isEqualTo(m.snapshot());
    }
    byte[] snap = PrequentialMetrics.cumulative(2).snapshot();
    assertThatThrownBy(
            () -> PrequentialMetrics.fromSnapshot(java.util.Arrays.copyOf(snap, snap.length - 1)))
        .hasMessageContaining("truncated");
  }

  @Test
  void reliabilityDiagramMatchesExplicitBinningAndTheEce() {
    Data d = new Data(37);
    for (PrequentialMetrics m :
        new PrequentialMetrics[] {
          PrequentialMetrics.cumulative(K), PrequentialMetrics.sliding(K, 250, 2)
        }) {
      for (int i = 0; i < EXAMPLES; i++) {
        m.addExample(d.probs[i], d.targets[i], d.sets[i]);
      }
      MetricsReport r = m.report();
      for (int t = 0; t < K; t++) {
        List<Label> ls = d.labels(t, 0);
        if (m.isSliding()) {
          ls = ls.subList(ls.size() - 250, ls.size());
        }
        ReliabilityDiagram rd = m.reliability(t);
        assertThat(rd.bins()).hasSize(15);
        double ece = 0;
        long total = 0;
        for (int b = 0; b < 15; b++) {
          ReliabilityDiagram.Bin bin = rd.bins().get(b);
          final int bb = b;
          List<Label> in = ls.stream().filter(l -> Math.min((int) (l.p() * 15), 14) == bb).toList();
          assertThat(bin.count()).isEqualTo(in.size());
          total += bin.count();
          if (!in.isEmpty()) {
            double meanP = in.stream().mapToDouble(Label::p).average().orElseThrow();
            double meanY = in.stream().mapToDouble(Label::y).average().orElseThrow();
            assertThat(bin.meanProbability()).isCloseTo(meanP, within(TOL));
            assertThat(bin.meanTarget()).isCloseTo(meanY, within(TOL));
            ece += in.size() * Math.abs(meanP - meanY);
          } else {
            assertThat(bin.meanProbability()).isNaN();
          }
        }
        assertThat(total).isEqualTo(ls.size());
        assertThat(r.task(t).ece()).isCloseTo(ece / total, within(TOL));
      }
      assertThat(
              m.reliabilityOverall().bins().stream().mapToLong(ReliabilityDiagram.Bin::count).sum())
          .isEqualTo(r.overall().count());
    }
  }

  @Test
  void perfectRankerHasAucOneAndReversedZero() {
    PrequentialMetrics m = PrequentialMetrics.cumulative(2);
    for (int i = 0; i < 100; i++) {
      double y = i < 50 ? 0 : 1;
      m.add(0, i / 100.0, y, null);
      m.add(1, 1 - i / 100.0, y, null);
    }
    MetricsReport r = m.report();
    assertThat(r.task(0).auc()).isEqualTo(1.0);
    assertThat(r.task(1).auc()).isEqualTo(0.0);
    assertThat(r.task(0).setCount()).isZero();
    assertThat(r.task(0).setCoverage()).isNaN();
  }

  @Test
  void allMaskedGivesNaNNotACrash() {
    PrequentialMetrics m = PrequentialMetrics.cumulative(3);
    double[] missing = {Double.NaN, Double.NaN, Double.NaN};
    for (int i = 0; i < 10; i++) {
      m.addExample(new double[] {0.1, 0.5, 0.9}, missing, new PredictionSet[3]);
    }
    MetricsReport r = m.report();
    assertThat(r.overall().count()).isZero();
    assertThat(r.overall().logLoss()).isNaN();
    assertThat(r.overall().auc()).isNaN();
    assertThat(r.overall().ece()).isNaN();
    assertThat(r.task(1).brier()).isNaN();
    assertThat(r.macroAuc()).isNaN();
    assertThat(r.precisionAtK()).isNaN();
    assertThat(r.recallAtK()).isNaN();
    assertThat(PrequentialMetrics.sliding(3, 5, 1).report().overall().accuracy()).isNaN();
  }

  @Test
  void rejectsBadInputWithValues() {
    PrequentialMetrics m = PrequentialMetrics.cumulative(2);
    assertThatThrownBy(() -> m.add(0, 1.5, 1, null)).hasMessageContaining("got 1.5");
    assertThatThrownBy(() -> m.add(0, 0.5, 2, null)).hasMessageContaining("got 2.0");
    assertThatThrownBy(() -> m.add(2, 0.5, 1, null)).hasMessageContaining("got 2");
    assertThatThrownBy(() -> m.addExample(new double[3], new double[2]))
        .hasMessageContaining("expected 2 probabilities (one per task), got 3");
  }
}
