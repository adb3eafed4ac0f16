package io.elapse.model;

/**
 * One validated event as the cell sees it: its hash bucket, its numeric features and φ(Δt). Build
 * it with {@link LstmModel#input}; immutable.
 */
public final class EventInput {
  private static final float[] NO_FEATURES = new float[0];
  private final int bucket;
  private final float[] features;
  private final float phi;

  EventInput(int bucket, float[] features, float phi) {
    this.bucket = bucket;
    this.features = features == null || features.length == 0 ? NO_FEATURES : features.clone();
    this.phi = phi;
  }

  /** The event-type bucket in [0, V). */
  public int bucket() {
    return bucket;
  }

  /** φ(Δt), 0 for an entity's first event. */
  public float phi() {
    return phi;
  }

  /** Number of numeric features. */
  public int numFeatures() {
    return features.length;
  }

  /** Feature j. */
  public float feature(int j) {
    return features[j];
  }

  /** A copy of the features. */
  public float[] features() {
    return features.clone();
  }

  /** Copies the features into {@code dst} at {@code offset} (hot path, no allocation). */
  public void copyFeaturesTo(float[] dst, int offset) {
    System.arraycopy(features, 0, dst, offset, features.length);
  }

  @Override
  public String toString() {
    return "EventInput{bucket=" + bucket + ", features=" + features.length + ", phi=" + phi + '}';
  }
}
