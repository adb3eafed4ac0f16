package io.elapse.model.calibration;

/**
 * A conformal prediction set for one binary task: which of the labels {0} and {1} it contains.
 * Symbols match the Avro enum {@code ConformalSet}.
 */
public enum PredictionSet {
  /** No label: the model is certain that neither label fits (only when alpha_t is at least 1). */
  EMPTY(false, false),
  /** The set {0}. */
  ZERO(true, false),
  /** The set {1}. */
  ONE(false, true),
  /** The set {0, 1}: the model cannot decide at the current level. */
  BOTH(true, true);

  private final boolean zero;
  private final boolean one;

  PredictionSet(boolean zero, boolean one) {
    this.zero = zero;
    this.one = one;
  }

  /** The set holding exactly the labels flagged. */
  public static PredictionSet of(boolean containsZero, boolean containsOne) {
    if (containsZero) {
      return containsOne ? BOTH : ZERO;
    }
    return containsOne ? ONE : EMPTY;
  }

  /**
   * The set for calibrated probability {@code p} of label 1 under a nonconformity threshold: label
   * y is in the set when its score 1 − p̂(y) is at most {@code threshold}, with p̂(1) = p and p̂(0)
   * = 1 − p. A threshold ≥ 1 always gives {@link #BOTH}; a negative one always gives {@link
   * #EMPTY}.
   */
  public static PredictionSet forThreshold(double threshold, double p) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw new IllegalArgumentException("expected a probability in [0,1], got " + p);
    }
    if (threshold >= 1.0) {
      return BOTH;
    }
    // score(0) = 1 - (1 - p) = p ; score(1) = 1 - p
    return of(p <= threshold, 1.0 - p <= threshold);
  }

  /** Whether the set contains {@code label} (0 or 1). */
  public boolean contains(int label) {
    if (label == 0) {
      return zero;
    }
    if (label == 1) {
      return one;
    }
    throw new IllegalArgumentException("expected label 0 or 1, got " + label);
  }

  /** Number of labels in the set: 0, 1 or 2. */
  public int size() {
    return (zero ? 1 : 0) + (one ? 1 : 0);
  }

  /** Whether the set is a single label ({@link #ZERO} or {@link #ONE}). */
  public boolean isSingleton() {
    return size() == 1;
  }
}
