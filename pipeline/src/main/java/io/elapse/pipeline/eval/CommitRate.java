package io.elapse.pipeline.eval;

import java.util.ArrayDeque;

/**
 * Records per second of a count that grows in bursts (read_committed outputs become visible once
 * per checkpoint), measured from burst to burst: the rate between the first and the last sample
 * within the window at which the count had just grown. A rate over a fixed window instead counts
 * one burst more or fewer depending on where the window starts, and zigzags by the share of one
 * burst (the demo's throughput plot swung between ~700 and ~1,360 per second at a steady 1,000).
 */
final class CommitRate {
  private final double windowSeconds;
  private final ArrayDeque<double[]> bursts = new ArrayDeque<>(); // {seconds, count}
  private double lastCount;
  private double firstSeconds = Double.NaN;
  private double firstCount;

  /** A rate over bursts seen in the last {@code windowSeconds}. */
  CommitRate(double windowSeconds) {
    if (!(windowSeconds > 0)) {
      throw new IllegalArgumentException("expected a window > 0 s, got " + windowSeconds);
    }
    this.windowSeconds = windowSeconds;
  }

  /**
   * Adds a sample of the count and returns the rate: burst to burst when two bursts are in the
   * window, else the count's growth since the first sample over the time since (no spike when the
   * first burst lands).
   */
  double sample(double seconds, double count) {
    if (Double.isNaN(firstSeconds)) {
      firstSeconds = seconds;
      firstCount = count;
    }
    double fallback = seconds > firstSeconds ? (count - firstCount) / (seconds - firstSeconds) : 0;
    if (count > lastCount) {
      bursts.addLast(new double[] {seconds, count});
    }
    lastCount = count;
    while (bursts.size() > 2 && seconds - bursts.peekFirst()[0] > windowSeconds) {
      bursts.pollFirst();
    }
    if (bursts.size() < 2) {
      return fallback;
    }
    double[] first = bursts.peekFirst();
    double[] last = bursts.peekLast();
    if (seconds - last[0] > windowSeconds) {
      return 0; // nothing committed for a whole window
    }
    return (last[1] - first[1]) / (last[0] - first[0]);
  }
}
