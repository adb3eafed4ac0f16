package io.elapse.model.metrics;

import io.elapse.model.calibration.PredictionSet;

/** Mergeable running sums behind one {@link TaskMetrics} row. */
final class Accumulator {

  static final double EPS = 1e-15;

  long n;
  double sumLogLoss;
  double sumBrier;
  double sumCorrect;
  double sumTarget;
  double sumProb;
  long setN;
  long setCovered;
  long setSizeSum;
  final long[] binN = new long[PrequentialMetrics.ECE_BINS];
  final double[] binProb = new double[PrequentialMetrics.ECE_BINS];
  final double[] binTarget = new double[PrequentialMetrics.ECE_BINS];

  static int bin(double p) {
    return Math.min((int) (p * PrequentialMetrics.ECE_BINS), PrequentialMetrics.ECE_BINS - 1);
  }

  void add(double p, double y, PredictionSet set) {
    n++;
    double pc = Math.min(Math.max(p, EPS), 1.0 - EPS);
    sumLogLoss -= y * Math.log(pc) + (1.0 - y) * Math.log1p(-pc);
    sumBrier += (p - y) * (p - y);
    sumCorrect += ((p >= 0.5) == (y >= 0.5)) ? 1.0 : 0.0;
    sumTarget += y;
    sumProb += p;
    int b = bin(p);
    binN[b]++;
    binProb[b] += p;
    binTarget[b] += y;
    if (set != null) {
      setN++;
      setCovered += set.contains(y >= 0.5 ? 1 : 0) ? 1 : 0;
      setSizeSum += set.size();
    }
  }

  void merge(Accumulator o) {
    n += o.n;
    sumLogLoss += o.sumLogLoss;
    sumBrier += o.sumBrier;
    sumCorrect += o.sumCorrect;
    sumTarget += o.sumTarget;
    sumProb += o.sumProb;
    setN += o.setN;
    setCovered += o.setCovered;
    setSizeSum += o.setSizeSum;
    for (int b = 0; b < binN.length; b++) {
      binN[b] += o.binN[b];
      binProb[b] += o.binProb[b];
      binTarget[b] += o.binTarget[b];
    }
  }

  TaskMetrics toMetrics(double auc, boolean aucExact) {
    double ece = 0.0;
    for (int b = 0; b < binN.length; b++) {
      ece += Math.abs(binProb[b] - binTarget[b]);
    }
    return new TaskMetrics(
        n,
        div(sumLogLoss, n),
        auc,
        div(ece, n),
        div(sumBrier, n),
        div(sumCorrect, n),
        div(sumTarget, n),
        div(sumProb, n),
        setN,
        div(setCovered, setN),
        div(setSizeSum, setN),
        aucExact);
  }

  private static double div(double x, long n) {
    return n == 0 ? Double.NaN : x / n;
  }
}
