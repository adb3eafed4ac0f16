package io.elapse.model.calibration;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;

/**
 * Per-task adaptive conformal inference for binary tasks (Gibbs and Candès, "Adaptive Conformal
 * Inference Under Distribution Shift", NeurIPS 2021).
 *
 * <p>Nonconformity score of label y for a calibrated probability p: s(y) = 1 − p̂(y), with p̂(1) =
 * p and p̂(0) = 1 − p. The set holds every label whose score is at most the task's threshold Q_t,
 * the ⌈(n + 1)(1 − α_t)⌉-th smallest of the n most recent true-label scores (a sliding window of at
 * most {@code window} scores, kept sorted; Q_t = 1, the full set, when that rank exceeds n). After
 * the outcome y_t arrives, err_t = 1 when the true label is not in the set that was used, and (eq.
 * 2 of the paper)
 *
 * <pre>
 *   α_{t+1} = α_t + γ (α − err_t)
 * </pre>
 *
 * With α_t ≤ 0 the set is {0,1} (threshold 1), with α_t ≥ 1 it is empty (threshold {@link
 * #EMPTY_THRESHOLD}), so α_t stays in [−γ, 1 + γ] and the long-run miscoverage of T predictions is
 * within (max(α_1, 1 − α_1) + γ)/(γ T) of α whatever the data (Prop. 4.1). Soft targets are read as
 * label 1 when y ≥ 0.5. Not thread-safe.
 */
public final class AdaptiveConformal {

  /** Default target miscoverage α. */
  public static final double DEFAULT_ALPHA = 0.1;

  /** Default step γ. */
  public static final double DEFAULT_GAMMA = 0.005;

  /** Default number of recent scores the quantile is taken over. */
  public static final int DEFAULT_WINDOW = 1000;

  /** Threshold meaning "no label": below every score. */
  public static final double EMPTY_THRESHOLD = -1.0;

  /** Threshold meaning "both labels": every score is at most 1. */
  public static final double FULL_THRESHOLD = 1.0;

  private static final int MAGIC = 0x41434931; // "ACI1"

  private final int tasks;
  private final double alpha;
  private final double gamma;
  private final int window;

  private final double[] alphaT;
  private final double[] threshold;
  private final long[] count;
  private final long[] errors;
  private final double[][] ring;
  private final double[][] sorted;
  private final int[] head;
  private final int[] size;

  /** Conformal state for {@code tasks} tasks with α = 0.1, γ = 0.005 and a window of 1000. */
  public AdaptiveConformal(int tasks) {
    this(tasks, DEFAULT_ALPHA, DEFAULT_GAMMA, DEFAULT_WINDOW);
  }

  /**
   * Conformal state for {@code tasks} tasks.
   *
   * @param alpha target miscoverage in (0, 1)
   * @param gamma step size in (0, 1)
   * @param window number of recent scores per task, ≥ 1
   */
  public AdaptiveConformal(int tasks, double alpha, double gamma, int window) {
    if (tasks < 1) {
      throw new IllegalArgumentException("expected at least 1 task, got " + tasks);
    }
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("expected alpha in (0,1), got " + alpha);
    }
    if (!(gamma > 0 && gamma < 1)) {
      throw new IllegalArgumentException("expected gamma in (0,1), got " + gamma);
    }
    if (window < 1) {
      throw new IllegalArgumentException("expected a window of at least 1, got " + window);
    }
    this.tasks = tasks;
    this.alpha = alpha;
    this.gamma = gamma;
    this.window = window;
    this.alphaT = new double[tasks];
    this.threshold = new double[tasks];
    this.count = new long[tasks];
    this.errors = new long[tasks];
    this.ring = new double[tasks][window];
    this.sorted = new double[tasks][window];
    this.head = new int[tasks];
    this.size = new int[tasks];
    for (int t = 0; t < tasks; t++) {
      reset(t);
    }
  }

  /** The prediction set for calibrated probability {@code p} of label 1 on {@code task}. */
  public PredictionSet set(int task, double p) {
    checkTask(task);
    return PredictionSet.forThreshold(threshold[task], p);
  }

  /**
   * Learns from an outcome, taking the set the current threshold gives for {@code p} as the set
   * that was used.
   *
   * @param p calibrated probability of label 1 emitted at prediction time
   * @param target outcome in [0, 1]; label 1 when ≥ 0.5
   */
  public void update(int task, double p, double target) {
    update(task, p, target, set(task, p));
  }

  /**
   * Learns from an outcome when the set actually emitted is known (it may come from an older
   * threshold).
   */
  public void update(int task, double p, double target, PredictionSet used) {
    checkTask(task);
    if (!(p >= 0.0 && p <= 1.0)) {
      throw new IllegalArgumentException("expected a probability in [0,1], got " + p);
    }
    if (!(target >= 0.0 && target <= 1.0)) {
      throw new IllegalArgumentException("expected a target in [0,1], got " + target);
    }
    int label = target >= 0.5 ? 1 : 0;
    int err = used.contains(label) ? 0 : 1;
    alphaT[task] += gamma * (alpha - err);
    count[task]++;
    errors[task] += err;
    insert(task, label == 1 ? 1.0 - p : p);
    threshold[task] = computeThreshold(task);
  }

  /** Current adaptive level α_t of {@code task}. */
  public double alphaT(int task) {
    checkTask(task);
    return alphaT[task];
  }

  /**
   * Current nonconformity threshold Q_t of {@code task}: label y is in the set when 1 − p̂(y) ≤
   * Q_t.
   */
  public double threshold(int task) {
    checkTask(task);
    return threshold[task];
  }

  /** Outcomes learned for {@code task}. */
  public long count(int task) {
    checkTask(task);
    return count[task];
  }

  /** Fraction of learned outcomes whose label was outside the set used (NaN before any). */
  public double miscoverage(int task) {
    checkTask(task);
    return count[task] == 0 ? Double.NaN : (double) errors[task] / count[task];
  }

  /** Target miscoverage α. */
  public double alpha() {
    return alpha;
  }

  /** Step size γ. */
  public double gamma() {
    return gamma;
  }

  /** Window length in scores. */
  public int window() {
    return window;
  }

  /** Number of tasks. */
  public int tasks() {
    return tasks;
  }

  /** Forgets everything learned for {@code task}: α_t = α, empty window, full set. */
  public void reset(int task) {
    checkTask(task);
    alphaT[task] = alpha;
    threshold[task] = FULL_THRESHOLD;
    count[task] = 0;
    errors[task] = 0;
    head[task] = 0;
    size[task] = 0;
  }

  /** The full state as bytes (configuration, α_t, thresholds, counts and the score windows). */
  public byte[] snapshot() {
    int perTask = 8 + 8 + 8 + 8 + 4 + 4 + 8 * window;
    ByteBuffer buf =
        ByteBuffer.allocate(4 + 4 + 8 + 8 + 4 + tasks * perTask).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(MAGIC).putInt(tasks).putDouble(alpha).putDouble(gamma).putInt(window);
    for (int t = 0; t < tasks; t++) {
      buf.putDouble(alphaT[t]).putDouble(threshold[t]).putLong(count[t]).putLong(errors[t]);
      buf.putInt(head[t]).putInt(size[t]);
      for (int i = 0; i < window; i++) {
        buf.putDouble(ring[t][i]);
      }
    }
    return buf.array();
  }

  /**
   * Replaces this state by {@code snapshot}, which must come from an instance with the same tasks,
   * α, γ and window.
   */
  public void restore(byte[] snapshot) {
    AdaptiveConformal other = fromSnapshot(snapshot);
    if (!other.toString().equals(toString())) {
      throw new IllegalArgumentException(
          "expected a snapshot of " + this + ", got one of " + other);
    }
    for (int t = 0; t < tasks; t++) {
      alphaT[t] = other.alphaT[t];
      threshold[t] = other.threshold[t];
      count[t] = other.count[t];
      errors[t] = other.errors[t];
      head[t] = other.head[t];
      size[t] = other.size[t];
      System.arraycopy(other.ring[t], 0, ring[t], 0, window);
      System.arraycopy(other.sorted[t], 0, sorted[t], 0, window);
    }
  }

  /** A conformal state equal to the one that produced {@code snapshot}. */
  public static AdaptiveConformal fromSnapshot(byte[] snapshot) {
    ByteBuffer buf = ByteBuffer.wrap(snapshot).order(ByteOrder.LITTLE_ENDIAN);
    try {
      int magic = buf.getInt();
      if (magic != MAGIC) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT, "expected conformal snapshot magic %08x, got %08x", MAGIC, magic));
      }
      int tasks = buf.getInt();
      AdaptiveConformal c =
          new AdaptiveConformal(tasks, buf.getDouble(), buf.getDouble(), buf.getInt());
      for (int t = 0; t < tasks; t++) {
        c.alphaT[t] = buf.getDouble();
        c.threshold[t] = buf.getDouble();
        c.count[t] = buf.getLong();
        c.errors[t] = buf.getLong();
        c.head[t] = buf.getInt();
        c.size[t] = buf.getInt();
        if (c.head[t] < 0 || c.head[t] >= c.window || c.size[t] < 0 || c.size[t] > c.window) {
          throw new IllegalArgumentException(
              "corrupt conformal snapshot: head " + c.head[t] + ", size " + c.size[t]);
        }
        for (int i = 0; i < c.window; i++) {
          c.ring[t][i] = buf.getDouble();
        }
        int start = Math.floorMod(c.head[t] - c.size[t], c.window);
        for (int i = 0; i < c.size[t]; i++) {
          c.sorted[t][i] = c.ring[t][(start + i) % c.window];
        }
        Arrays.sort(c.sorted[t], 0, c.size[t]);
      }
      if (buf.hasRemaining()) {
        throw new IllegalArgumentException(
            "expected end of conformal snapshot, got " + buf.remaining() + " trailing bytes");
      }
      return c;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException(
          "truncated conformal snapshot of " + snapshot.length + " bytes", e);
    }
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "AdaptiveConformal{tasks=%d, alpha=%s, gamma=%s, window=%d}",
        tasks,
        alpha,
        gamma,
        window);
  }

  private void insert(int task, double score) {
    double[] r = ring[task];
    double[] s = sorted[task];
    int n = size[task];
    if (n == window) {
      double old = r[head[task]];
      int at = Arrays.binarySearch(s, 0, n, old);
      System.arraycopy(s, at + 1, s, at, n - at - 1);
      n--;
    }
    r[head[task]] = score;
    head[task] = (head[task] + 1) % window;
    int at = Arrays.binarySearch(s, 0, n, score);
    if (at < 0) {
      at = -at - 1;
    }
    System.arraycopy(s, at, s, at + 1, n - at);
    s[at] = score;
    size[task] = n + 1;
  }

  private double computeThreshold(int task) {
    double level = alphaT[task];
    if (level <= 0.0) {
      return FULL_THRESHOLD;
    }
    if (level >= 1.0) {
      return EMPTY_THRESHOLD;
    }
    int n = size[task];
    double rank = Math.ceil((n + 1) * (1.0 - level));
    if (rank > n) {
      return FULL_THRESHOLD;
    }
    return sorted[task][Math.max(0, (int) rank - 1)];
  }

  private void checkTask(int task) {
    if (task < 0 || task >= tasks) {
      throw new IndexOutOfBoundsException("expected a task in [0," + tasks + "), got " + task);
    }
  }
}
