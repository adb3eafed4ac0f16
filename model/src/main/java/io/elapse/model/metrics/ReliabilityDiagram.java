package io.elapse.model.metrics;

import java.util.List;

/**
 * A reliability diagram: per equal-width probability bin, how many labels fell in it, their mean
 * predicted probability and their mean target. A calibrated model has meanProbability ≈ meanTarget
 * in every bin; ECE is the count-weighted mean of |meanProbability − meanTarget|.
 *
 * @param bins the bins in increasing order of probability
 */
public record ReliabilityDiagram(List<Bin> bins) {

  /** Copies the bin list. */
  public ReliabilityDiagram {
    bins = List.copyOf(bins);
  }

  /**
   * One bin [lower, upper) (the last bin includes 1).
   *
   * @param lower lower edge
   * @param upper upper edge
   * @param count labels in the bin
   * @param meanProbability mean predicted probability (NaN when empty)
   * @param meanTarget mean target (NaN when empty)
   */
  public record Bin(
      double lower, double upper, long count, double meanProbability, double meanTarget) {}
}
