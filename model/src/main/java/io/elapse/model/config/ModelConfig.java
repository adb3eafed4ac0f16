package io.elapse.model.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Every hyperparameter of the time-aware LSTM learner, immutable and validated on construction.
 * Build one with {@link #builder()}; defaults are listed on the builder's fields.
 *
 * @param modulation how φ(Δt) modulates the cell
 * @param hiddenSize H, the number of LSTM units
 * @param embeddingDim E, the embedding size of an event type
 * @param vocabularyBuckets V, the number of hash buckets for event types
 * @param numFeatures F, the number of numeric features per event
 * @param tasks the K task names, distinct
 * @param windowSize W, the number of recent events kept per entity for truncated BPTT
 * @param timeTransform φ, the transform of elapsed milliseconds
 * @param loss loss options (arrays of length K)
 * @param gradClipNorm global-norm clipping threshold of one gradient, 0 = off
 * @param seed the seed of parameter initialization
 */
public record ModelConfig(
    TimeModulation modulation,
    int hiddenSize,
    int embeddingDim,
    int vocabularyBuckets,
    int numFeatures,
    List<String> tasks,
    int windowSize,
    TimeTransform timeTransform,
    LossConfig loss,
    double gradClipNorm,
    long seed) {

  /** Validates every field; messages state what was expected and what was given. */
  public ModelConfig {
    if (modulation == null) {
      throw new IllegalArgumentException("expected a modulation, got null");
    }
    positive("hiddenSize", hiddenSize);
    positive("embeddingDim", embeddingDim);
    positive("vocabularyBuckets", vocabularyBuckets);
    positive("windowSize", windowSize);
    if (numFeatures < 0) {
      throw new IllegalArgumentException("expected numFeatures >= 0, got " + numFeatures);
    }
    if (tasks == null || tasks.isEmpty()) {
      throw new IllegalArgumentException("expected at least 1 task, got " + tasks);
    }
    tasks = List.copyOf(tasks);
    if (new HashSet<>(tasks).size() != tasks.size()) {
      throw new IllegalArgumentException("expected distinct task names, got " + tasks);
    }
    if (timeTransform == null) {
      throw new IllegalArgumentException("expected a timeTransform, got null");
    }
    if (loss == null) {
      throw new IllegalArgumentException("expected a loss config, got null");
    }
    if (loss.numTasks() != tasks.size()) {
      throw new IllegalArgumentException(
          "expected loss weights for "
              + tasks.size()
              + " tasks, got "
              + loss.numTasks()
              + " (posWeight/taskWeight length)");
    }
    if (!(gradClipNorm >= 0) || Double.isInfinite(gradClipNorm)) {
      throw new IllegalArgumentException(
          "expected gradClipNorm finite and >= 0 (0 = off), got " + gradClipNorm);
    }
    long params = (long) vocabularyBuckets * embeddingDim + 16L * hiddenSize * hiddenSize;
    if (params > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException(
          "expected fewer than " + Integer.MAX_VALUE / 2 + " parameters, got about " + params);
    }
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("expected " + name + " > 0, got " + value);
    }
  }

  /** K, the number of tasks. */
  public int numTasks() {
    return tasks.size();
  }

  /** I = E + F + 1, the cell input size (x = [embedding; features; φ(Δt)]). */
  public int inputSize() {
    return embeddingDim + numFeatures + 1;
  }

  /** A builder with every default set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder pre-filled with this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.modulation = modulation;
    b.hiddenSize = hiddenSize;
    b.embeddingDim = embeddingDim;
    b.vocabularyBuckets = vocabularyBuckets;
    b.numFeatures = numFeatures;
    b.tasks = tasks;
    b.windowSize = windowSize;
    b.timeTransform = timeTransform;
    b.loss = loss;
    b.gradClipNorm = gradClipNorm;
    b.seed = seed;
    return b;
  }

  /** The default task names task_00 … task_{n-1}. */
  public static List<String> defaultTasks(int n) {
    List<String> names = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      names.add(String.format("task_%02d", k));
    }
    return names;
  }

  @Override
  public String toString() {
    return "ModelConfig{modulation="
        + modulation
        + ", hiddenSize="
        + hiddenSize
        + ", embeddingDim="
        + embeddingDim
        + ", vocabularyBuckets="
        + vocabularyBuckets
        + ", numFeatures="
        + numFeatures
        + ", tasks="
        + tasks
        + ", windowSize="
        + windowSize
        + ", timeTransform="
        + timeTransform
        + ", loss="
        + loss
        + ", gradClipNorm="
        + gradClipNorm
        + ", seed="
        + seed
        + '}';
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private TimeModulation modulation = TimeModulation.DECAY;
    private int hiddenSize = 64;
    private int embeddingDim = 32;
    private int vocabularyBuckets = 10_000;
    private int numFeatures = 0;
    private List<String> tasks = defaultTasks(30);
    private int windowSize = 32;
    private TimeTransform timeTransform = TimeTransform.log1p();
    private LossConfig loss; // null = uniform weights for the configured tasks
    private double gradClipNorm = 5.0;
    private long seed = 42L;

    private Builder() {}

    /** Default DECAY. */
    public Builder modulation(TimeModulation v) {
      modulation = v;
      return this;
    }

    /** Default 64. */
    public Builder hiddenSize(int v) {
      hiddenSize = v;
      return this;
    }

    /** Default 32. */
    public Builder embeddingDim(int v) {
      embeddingDim = v;
      return this;
    }

    /** Default 10,000. */
    public Builder vocabularyBuckets(int v) {
      vocabularyBuckets = v;
      return this;
    }

    /** Default 0. */
    public Builder numFeatures(int v) {
      numFeatures = v;
      return this;
    }

    /** Default task_00 … task_29. */
    public Builder tasks(List<String> v) {
      tasks = v;
      return this;
    }

    /** Sets {@code n} default task names. */
    public Builder numTasks(int n) {
      if (n <= 0) {
        throw new IllegalArgumentException("expected numTasks > 0, got " + n);
      }
      tasks = defaultTasks(n);
      return this;
    }

    /** Default 32. */
    public Builder windowSize(int v) {
      windowSize = v;
      return this;
    }

    /** Default LOG1P with a 60,000 ms scale. */
    public Builder timeTransform(TimeTransform v) {
      timeTransform = v;
      return this;
    }

    /** Default all weights 1 and no L2 (sized to the tasks at build time). */
    public Builder loss(LossConfig v) {
      loss = v;
      return this;
    }

    /** Default 5.0; 0 turns clipping off. */
    public Builder gradClipNorm(double v) {
      gradClipNorm = v;
      return this;
    }

    /** Default 42. */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** Validates and builds. */
    public ModelConfig build() {
      LossConfig l =
          loss != null ? loss : LossConfig.uniform(tasks == null ? 0 : Math.max(tasks.size(), 0));
      return new ModelConfig(
          modulation,
          hiddenSize,
          embeddingDim,
          vocabularyBuckets,
          numFeatures,
          tasks,
          windowSize,
          timeTransform,
          l,
          gradClipNorm,
          seed);
    }
  }
}
