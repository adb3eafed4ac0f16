package io.elapse.pipeline.eval;

import java.io.Serializable;

/**
 * A deterministic sample of entities by a hash of the entity id: the same entities are in it in
 * every run, on every subtask and for both of the evaluator's inputs, so a sampled entity's
 * predictions and labels still meet in the join. The hash is {@link String#hashCode} (fixed by the
 * Java Language Specification) through the 32-bit finalizer of MurmurHash3, so that ids differing
 * in their last character spread over the whole range.
 */
public final class EntitySample implements Serializable {

  private static final long serialVersionUID = 1L;

  private final double fraction;
  private final long threshold;

  /** The entities whose hash falls in the first {@code fraction} of the range, in (0, 1]. */
  public EntitySample(double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("expected a fraction in (0, 1], got " + fraction);
    }
    this.fraction = fraction;
    this.threshold = (long) Math.ceil(fraction * (1L << 32));
  }

  /** Whether this sample keeps every entity. */
  public boolean all() {
    return fraction >= 1;
  }

  /** Whether {@code entityId} is in the sample (a null id is kept: the join reports it). */
  public boolean contains(String entityId) {
    return all() || entityId == null || (mix(entityId.hashCode()) & 0xFFFF_FFFFL) < threshold;
  }

  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85eb_ca6b;
    h ^= h >>> 13;
    h *= 0xc2b2_ae35;
    h ^= h >>> 16;
    return h;
  }
}
