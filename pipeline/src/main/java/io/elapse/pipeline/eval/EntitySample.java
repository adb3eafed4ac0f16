package io.elapse.pipeline.eval;

import java.io.Serializable;
import org.apache.flink.util.MathUtils;

/**
 * A deterministic sample of entities by a hash of the entity id: the same entities are in it in
 * every run, on every subtask and for both of the evaluator's inputs, so a sampled entity's
 * predictions and labels still meet in the join. The hash is Flink's {@link MathUtils#murmurHash}
 * of {@link String#hashCode} (fixed by the Java Language Specification) with a salt, so that it is
 * not a function of the number Flink assigns key groups from, and the sampled entities spread over
 * every subtask.
 */
public final class EntitySample implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Decorrelates the sample from the key groups. */
  private static final int SALT = 0x5bd1e995;

  private final double fraction;
  private final long threshold;

  /** The entities whose hash falls in the first {@code fraction} of the range, in (0, 1]. */
  public EntitySample(double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("expected a fraction in (0, 1], got " + fraction);
    }
    this.fraction = fraction;
    this.threshold = (long) Math.ceil(fraction * (1L << 31));
  }

  /** Whether this sample keeps every entity. */
  public boolean all() {
    return fraction >= 1;
  }

  /** Whether {@code entityId} is in the sample (a null id is kept: the join reports it). */
  public boolean contains(String entityId) {
    return all()
        || entityId == null
        || MathUtils.murmurHash(entityId.hashCode() ^ SALT) < threshold; // in [0, 2^31)
  }
}
