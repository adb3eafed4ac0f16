package io.elapse.model.train;

/**
 * A (possibly partial) label for one event of an entity.
 *
 * @param sequence the event's sequence number (must be in the entity's window)
 * @param targets K targets in [0,1], NaN = missing; copied
 * @param sampleWeight finite, ≥ 0
 */
public record LabeledPosition(long sequence, float[] targets, float sampleWeight) {
  /** Validates and copies the targets. */
  public LabeledPosition {
    if (targets == null) {
      throw new IllegalArgumentException("expected a targets array, got null");
    }
    targets = targets.clone();
    if (!(sampleWeight >= 0) || Float.isInfinite(sampleWeight)) {
      throw new IllegalArgumentException(
          "expected a finite sample weight >= 0, got " + sampleWeight);
    }
  }

  /** A copy of the targets. */
  @Override
  public float[] targets() {
    return targets.clone();
  }

  float[] targetsView() {
    return targets;
  }
}
