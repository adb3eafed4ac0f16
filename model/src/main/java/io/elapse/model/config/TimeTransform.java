package io.elapse.model.config;

/**
 * The documented transform φ(Δt) from elapsed milliseconds to the value that reaches the cell. Raw
 * milliseconds never reach a gate.
 *
 * @param kind which formula
 * @param scaleMillis the time scale s (milliseconds, &gt; 0)
 */
public record TimeTransform(Kind kind, double scaleMillis) {

  /** The formula applied to Δt ≥ 0. */
  public enum Kind {
    /** φ(Δt) = log1p(Δt / s). The default. */
    LOG1P,
    /** φ(Δt) = Δt / s. */
    LINEAR,
    /** φ(Δt) = 0: elapsed time is ignored (ablation). */
    ZERO
  }

  /** Default time scale: one minute. */
  public static final double DEFAULT_SCALE_MILLIS = 60_000.0;

  /** Validates the kind and the scale. */
  public TimeTransform {
    if (kind == null) {
      throw new IllegalArgumentException("expected a TimeTransform kind, got null");
    }
    if (!(scaleMillis > 0) || Double.isInfinite(scaleMillis)) {
      throw new IllegalArgumentException("expected scaleMillis finite and > 0, got " + scaleMillis);
    }
  }

  /** The default: LOG1P with a one-minute scale. */
  public static TimeTransform log1p() {
    return new TimeTransform(Kind.LOG1P, DEFAULT_SCALE_MILLIS);
  }

  /**
   * Applies the transform to a validated, non-negative elapsed time.
   *
   * @param elapsedMillis Δt in milliseconds, ≥ 0 (callers validate)
   * @return φ(Δt)
   */
  public double apply(double elapsedMillis) {
    return switch (kind) {
      case LOG1P -> Math.log1p(elapsedMillis / scaleMillis);
      case LINEAR -> elapsedMillis / scaleMillis;
      case ZERO -> 0.0;
    };
  }
}
