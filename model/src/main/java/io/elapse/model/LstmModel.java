package io.elapse.model;

import io.elapse.model.ParameterLayout.Group;
import io.elapse.model.cell.StepCache;
import io.elapse.model.cell.TimeAwareLstmCell;
import io.elapse.model.config.ModelConfig;
import io.elapse.model.config.TimeModulation;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * An immutable time-aware LSTM model: a configuration plus one flat parameter vector (see {@link
 * ParameterLayout}). Thread-safe: per-thread scratch is held in a {@link ThreadLocal}.
 */
public final class LstmModel {
  private final ModelConfig config;
  private final ParameterLayout layout;
  private final float[] params;
  private final TimeAwareLstmCell cell;
  private final ThreadLocal<StepCache> scratch;

  private LstmModel(ModelConfig config, float[] params) {
    this.config = config;
    this.layout = ParameterLayout.of(config);
    if (params == null || params.length != layout.size()) {
      throw new IllegalArgumentException(
          "expected "
              + layout.size()
              + " parameters for "
              + config.modulation()
              + ", got "
              + (params == null ? "null" : params.length));
    }
    this.params = params.clone();
    for (int q = 0; q < this.params.length; q++) {
      if (!Float.isFinite(this.params[q])) {
        throw new IllegalArgumentException(
            "expected finite parameters, got " + this.params[q] + " at index " + q);
      }
    }
    this.cell = new TimeAwareLstmCell(config, layout, this.params);
    this.scratch = ThreadLocal.withInitial(() -> new StepCache(config));
  }

  /**
   * A model over a copy of {@code params} (the caller's array is neither kept nor modified).
   *
   * @throws IllegalArgumentException if the length does not match the layout or a value is not
   *     finite
   */
  public static LstmModel of(ModelConfig config, float[] params) {
    return new LstmModel(config, params);
  }

  /**
   * Initial parameters: Gaussian embedding (std 1/√E), Xavier-normal weight matrices, zero biases
   * except the forget-gate block at 1.0 (as DL4J), DECAY λ with softplus(λ) = 0.5, TIME_GATE b_t =
   * 1 and w_tt ~ N(0, 0.1²). Deterministic for a seed on every JVM ({@link SplittableRandom}).
   */
  public static float[] initialParameters(ModelConfig config, long seed) {
    ParameterLayout layout = ParameterLayout.of(config);
    float[] p = new float[layout.size()];
    SplittableRandom rnd = new SplittableRandom(seed);
    int h = config.hiddenSize();
    int in = config.inputSize();
    int k = config.numTasks();
    gaussian(p, layout.segment(Group.EMBEDDING), 1.0 / Math.sqrt(config.embeddingDim()), rnd);
    gaussian(p, layout.segment(Group.W_X), Math.sqrt(2.0 / (in + h)), rnd);
    gaussian(p, layout.segment(Group.W_H), Math.sqrt(2.0 / (h + h)), rnd);
    int b = layout.offset(Group.B);
    for (int n = h; n < 2 * h; n++) {
      p[b + n] = 1.0f;
    }
    if (config.modulation() == TimeModulation.DECAY) {
      float lambda = (float) Math.log(Math.expm1(0.5));
      int o = layout.offset(Group.DECAY_LAMBDA);
      for (int n = 0; n < h; n++) {
        p[o + n] = lambda;
      }
    }
    if (config.modulation() == TimeModulation.TIME_GATE) {
      gaussian(p, layout.segment(Group.TIME_W), Math.sqrt(2.0 / (in + h)), rnd);
      gaussian(p, layout.segment(Group.TIME_WTT), 0.1, rnd);
      int o = layout.offset(Group.TIME_B);
      for (int n = 0; n < h; n++) {
        p[o + n] = 1.0f;
      }
    }
    gaussian(p, layout.segment(Group.HEAD_W), Math.sqrt(2.0 / (h + k)), rnd);
    return p;
  }

  private static void gaussian(
      float[] p, ParameterLayout.Segment s, double std, SplittableRandom rnd) {
    for (int q = s.offset(); q < s.offset() + s.length(); q++) {
      p[q] = (float) (rnd.nextGaussian() * std);
    }
  }

  /** The configuration. */
  public ModelConfig config() {
    return config;
  }

  /** The parameter layout. */
  public ParameterLayout layout() {
    return layout;
  }

  /** A copy of the flat parameters. */
  public float[] parameters() {
    return params.clone();
  }

  /** Parameter at a flat index. */
  public float parameter(int index) {
    return params[index];
  }

  /** The cell kernels bound to this model's parameters. */
  public TimeAwareLstmCell cell() {
    return cell;
  }

  /** This thread's scratch workspace (package use by {@link EntityState}). */
  StepCache scratch() {
    return scratch.get();
  }

  /**
   * The event-type bucket: MurmurHash3 x86_32 (Appleby; seed 0) of the UTF-8 bytes of {@code
   * eventType}, taken as an unsigned 32-bit integer modulo V. Identical on every JVM.
   */
  public int bucketOf(String eventType) {
    if (eventType == null) {
      throw new InvalidInputException("expected an event type, got null");
    }
    return Integer.remainderUnsigned(
        murmur3x86x32(eventType.getBytes(StandardCharsets.UTF_8), 0), config.vocabularyBuckets());
  }

  /** MurmurHash3 x86_32 of {@code data} with {@code seed} (reference algorithm, little-endian). */
  public static int murmur3x86x32(byte[] data, int seed) {
    final int c1 = 0xcc9e2d51;
    final int c2 = 0x1b873593;
    int h1 = seed;
    int len = data.length;
    int blocks = len / 4;
    for (int b = 0; b < blocks; b++) {
      int i = b * 4;
      int k1 =
          (data[i] & 0xff)
              | (data[i + 1] & 0xff) << 8
              | (data[i + 2] & 0xff) << 16
              | (data[i + 3] & 0xff) << 24;
      k1 *= c1;
      k1 = Integer.rotateLeft(k1, 15);
      k1 *= c2;
      h1 ^= k1;
      h1 = Integer.rotateLeft(h1, 13);
      h1 = h1 * 5 + 0xe6546b64;
    }
    int tail = blocks * 4;
    int k1 = 0;
    switch (len & 3) {
      case 3:
        k1 ^= (data[tail + 2] & 0xff) << 16;
      // fall through
      case 2:
        k1 ^= (data[tail + 1] & 0xff) << 8;
      // fall through
      case 1:
        k1 ^= data[tail] & 0xff;
        k1 *= c1;
        k1 = Integer.rotateLeft(k1, 15);
        k1 *= c2;
        h1 ^= k1;
      // fall through
      default:
        break;
    }
    h1 ^= len;
    h1 ^= h1 >>> 16;
    h1 *= 0x85ebca6b;
    h1 ^= h1 >>> 13;
    h1 *= 0xc2b2ae35;
    h1 ^= h1 >>> 16;
    return h1;
  }

  /**
   * φ(Δt) through the configured {@link io.elapse.model.config.TimeTransform}.
   *
   * @throws InvalidInputException for negative elapsed time
   */
  public double phi(long elapsedMillis) {
    if (elapsedMillis < 0) {
      throw new InvalidInputException(
          "expected elapsed time >= 0 ms, got " + elapsedMillis + " ms");
    }
    return config.timeTransform().apply(elapsedMillis);
  }

  /**
   * φ(Δt) for a floating-point elapsed time.
   *
   * @throws InvalidInputException for negative, NaN or infinite elapsed time
   */
  public double phi(double elapsedMillis) {
    if (!(elapsedMillis >= 0) || Double.isInfinite(elapsedMillis)) {
      throw new InvalidInputException(
          "expected a finite elapsed time >= 0 ms, got " + elapsedMillis + " ms");
    }
    return config.timeTransform().apply(elapsedMillis);
  }

  /**
   * A validated event input.
   *
   * @param eventType the event type (hashed to a bucket)
   * @param featuresOrNull F numeric features (null allowed only when F = 0); copied
   * @param elapsedMillisOrNull Δt since the entity's previous event, null for its first event (φ =
   *     0)
   * @throws InvalidInputException if the features have the wrong length or a non-finite value, or
   *     Δt is negative
   */
  public EventInput input(String eventType, float[] featuresOrNull, Long elapsedMillisOrNull) {
    int bucket = bucketOf(eventType);
    int f = config.numFeatures();
    int got = featuresOrNull == null ? 0 : featuresOrNull.length;
    if (got != f) {
      throw new InvalidInputException("expected " + f + " features, got " + got);
    }
    if (featuresOrNull != null) {
      for (int j = 0; j < got; j++) {
        if (!Float.isFinite(featuresOrNull[j])) {
          throw new InvalidInputException(
              "expected finite features, got " + featuresOrNull[j] + " at index " + j);
        }
      }
    }
    float phi = elapsedMillisOrNull == null ? 0f : (float) phi(elapsedMillisOrNull.longValue());
    return new EventInput(bucket, featuresOrNull, phi);
  }

  /**
   * An input from an already known bucket and φ (tests, replays); validated like {@link #input}.
   */
  public EventInput inputOfBucket(int bucket, float[] featuresOrNull, float phi) {
    if (bucket < 0 || bucket >= config.vocabularyBuckets()) {
      throw new InvalidInputException(
          "expected bucket in [0, " + config.vocabularyBuckets() + "), got " + bucket);
    }
    if (!(phi >= 0) || Float.isInfinite(phi)) {
      throw new InvalidInputException("expected a finite φ >= 0, got " + phi);
    }
    int got = featuresOrNull == null ? 0 : featuresOrNull.length;
    if (got != config.numFeatures()) {
      throw new InvalidInputException("expected " + config.numFeatures() + " features, got " + got);
    }
    if (featuresOrNull != null) {
      for (int j = 0; j < got; j++) {
        if (!Float.isFinite(featuresOrNull[j])) {
          throw new InvalidInputException(
              "expected finite features, got " + featuresOrNull[j] + " at index " + j);
        }
      }
    }
    return new EventInput(bucket, featuresOrNull, phi);
  }

  /** The K logits for a hidden state (allocates the result). */
  public float[] logits(float[] h) {
    if (h.length != config.hiddenSize()) {
      throw new IllegalArgumentException(
          "expected h of length " + config.hiddenSize() + ", got " + h.length);
    }
    float[] out = new float[config.numTasks()];
    cell.head(h, out);
    return out;
  }

  @Override
  public String toString() {
    return "LstmModel{" + config + ", parameters=" + params.length + '}';
  }
}
