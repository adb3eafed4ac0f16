package io.elapse.model.calibration;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Per-task online Platt scaling: p = σ(a·z + b) for a model logit z (Platt 1999, "Probabilistic
 * outputs for support vector machines").
 *
 * <p>Fitting: for every labelled pair (z, y ∈ [0,1], weight w) one step of online Newton (recursive
 * IRLS, the extended-Kalman-filter form of logistic regression) on θ = (a, b) with x = (z, 1):
 *
 * <pre>
 *   p = σ(θ·x),  g = w (y − p) x
 *   H ← ρ H + (1 − ρ) λ I + w max(p(1 − p), 1e-6) x xᵀ
 *   θ ← θ + clip(H⁻¹ g, ±maxStep)
 * </pre>
 *
 * H starts at λ I and θ at the identity map (a = 1, b = 0), which acts as a Gaussian prior of
 * precision λ centred on "the model is already calibrated". ρ = 1 − 1/memory is a forgetting
 * factor: old pairs lose weight with an effective memory of {@code memory} weighted pairs, so the
 * scaler follows drift; the (1 − ρ)λ I term keeps H positive definite. Each step costs O(1) and the
 * state per task is five doubles (a, b, H) and a count. Logits are clipped to ±{@link #MAX_LOGIT}.
 * Not thread-safe.
 */
public final class PlattScaler {

  /** Logits are clipped to [−MAX_LOGIT, MAX_LOGIT] before scaling. */
  public static final double MAX_LOGIT = 50.0;

  /** Default prior precision λ. */
  public static final double DEFAULT_PRIOR_PRECISION = 1.0;

  /** Default effective memory, in weighted pairs. */
  public static final double DEFAULT_MEMORY = 5_000.0;

  /** Default per-step bound on |Δa| and |Δb|. */
  public static final double DEFAULT_MAX_STEP = 0.5;

  private static final int MAGIC = 0x504C5431; // "PLT1"
  private static final double MIN_CURVATURE = 1e-6;

  private final int tasks;
  private final double priorPrecision;
  private final double memory;
  private final double maxStep;
  private final double rho;

  private final double[] a;
  private final double[] b;
  private final double[] h11;
  private final double[] h12;
  private final double[] h22;
  private final long[] count;

  /** A scaler for {@code tasks} tasks with the default prior, memory and step bound. */
  public PlattScaler(int tasks) {
    this(tasks, DEFAULT_PRIOR_PRECISION, DEFAULT_MEMORY, DEFAULT_MAX_STEP);
  }

  /**
   * A scaler for {@code tasks} tasks.
   *
   * @param priorPrecision λ &gt; 0, strength of the prior at a = 1, b = 0
   * @param memory effective memory in weighted pairs, ≥ 1 ({@code Double.POSITIVE_INFINITY} = never
   *     forget)
   * @param maxStep bound &gt; 0 on each parameter's change per update
   */
  public PlattScaler(int tasks, double priorPrecision, double memory, double maxStep) {
    if (tasks < 1) {
      throw new IllegalArgumentException("expected at least 1 task, got " + tasks);
    }
    if (!(priorPrecision > 0) || Double.isInfinite(priorPrecision)) {
      throw new IllegalArgumentException(
          "expected a finite prior precision > 0, got " + priorPrecision);
    }
    if (!(memory >= 1.0)) {
      throw new IllegalArgumentException("expected memory >= 1, got " + memory);
    }
    if (!(maxStep > 0) || Double.isInfinite(maxStep)) {
      throw new IllegalArgumentException("expected a finite max step > 0, got " + maxStep);
    }
    this.tasks = tasks;
    this.priorPrecision = priorPrecision;
    this.memory = memory;
    this.maxStep = maxStep;
    this.rho = Double.isInfinite(memory) ? 1.0 : 1.0 - 1.0 / memory;
    this.a = new double[tasks];
    this.b = new double[tasks];
    this.h11 = new double[tasks];
    this.h12 = new double[tasks];
    this.h22 = new double[tasks];
    this.count = new long[tasks];
    for (int t = 0; t < tasks; t++) {
      reset(t);
    }
  }

  /** σ(a·z + b) for published parameters, with z clipped to ±{@link #MAX_LOGIT}. */
  public static double apply(double scale, double bias, double logit) {
    if (Double.isNaN(logit)) {
      throw new IllegalArgumentException("expected a logit, got NaN");
    }
    return sigmoid(scale * clip(logit) + bias);
  }

  /** The calibrated probability of label 1 for {@code logit} on {@code task}. */
  public double probability(int task, double logit) {
    checkTask(task);
    return apply(a[task], b[task], logit);
  }

  /**
   * Learns from one labelled pair. A weight of 0 is a no-op.
   *
   * @param logit the raw model logit emitted at prediction time (finite or ±infinity, not NaN)
   * @param target the outcome in [0, 1] (soft targets allowed)
   * @param weight the sample weight, finite and ≥ 0
   */
  public void update(int task, double logit, double target, double weight) {
    checkTask(task);
    if (Double.isNaN(logit)) {
      throw new IllegalArgumentException("expected a logit, got NaN");
    }
    if (!(target >= 0.0 && target <= 1.0)) {
      throw new IllegalArgumentException("expected a target in [0,1], got " + target);
    }
    if (!(weight >= 0.0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("expected a finite weight >= 0, got " + weight);
    }
    if (weight == 0.0) {
      return;
    }
    double z = clip(logit);
    double p = sigmoid(a[task] * z + b[task]);
    double r = weight * (target - p);
    double c = weight * Math.max(p * (1.0 - p), MIN_CURVATURE);
    double prior = (1.0 - rho) * priorPrecision;
    double q11 = rho * h11[task] + prior + c * z * z;
    double q12 = rho * h12[task] + c * z;
    double q22 = rho * h22[task] + prior + c;
    h11[task] = q11;
    h12[task] = q12;
    h22[task] = q22;
    double det = q11 * q22 - q12 * q12;
    double g1 = r * z;
    double g2 = r;
    double da;
    double db;
    if (det > 1e-300) {
      da = (q22 * g1 - q12 * g2) / det;
      db = (q11 * g2 - q12 * g1) / det;
    } else {
      da = g1 / q11;
      db = g2 / q22;
    }
    a[task] += Math.max(-maxStep, Math.min(maxStep, da));
    b[task] += Math.max(-maxStep, Math.min(maxStep, db));
    count[task]++;
  }

  /** Platt slope a of {@code task}. */
  public double scale(int task) {
    checkTask(task);
    return a[task];
  }

  /** Platt intercept b of {@code task}. */
  public double bias(int task) {
    checkTask(task);
    return b[task];
  }

  /** Number of pairs with positive weight learned for {@code task}. */
  public long count(int task) {
    checkTask(task);
    return count[task];
  }

  /** Number of tasks. */
  public int tasks() {
    return tasks;
  }

  /**
   * Sets published parameters for {@code task} (a learner applying a coordinator's version). The
   * curvature restarts at the prior; the count is kept as given.
   */
  public void setParameters(int task, double scale, double bias, long observations) {
    checkTask(task);
    if (!Double.isFinite(scale) || !Double.isFinite(bias) || observations < 0) {
      throw new IllegalArgumentException(
          "expected finite a, b and observations >= 0, got a="
              + scale
              + ", b="
              + bias
              + ", observations="
              + observations);
    }
    reset(task);
    a[task] = scale;
    b[task] = bias;
    count[task] = observations;
  }

  /** Back to the identity map and the prior for {@code task}. */
  public void reset(int task) {
    checkTask(task);
    a[task] = 1.0;
    b[task] = 0.0;
    h11[task] = priorPrecision;
    h12[task] = 0.0;
    h22[task] = priorPrecision;
    count[task] = 0;
  }

  /** The full state (configuration and per-task parameters, curvature, counts) as bytes. */
  public byte[] snapshot() {
    ByteBuffer buf =
        ByteBuffer.allocate(4 + 4 + 3 * 8 + tasks * (5 * 8 + 8)).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(MAGIC).putInt(tasks).putDouble(priorPrecision).putDouble(memory).putDouble(maxStep);
    for (int t = 0; t < tasks; t++) {
      buf.putDouble(a[t]).putDouble(b[t]).putDouble(h11[t]).putDouble(h12[t]).putDouble(h22[t]);
      buf.putLong(count[t]);
    }
    return buf.array();
  }

  /**
   * Replaces this scaler's state by {@code snapshot}, which must come from a scaler with the same
   * tasks, prior, memory and step bound.
   */
  public void restore(byte[] snapshot) {
    PlattScaler other = fromSnapshot(snapshot);
    if (!other.toString().equals(toString())) {
      throw new IllegalArgumentException(
          "expected a snapshot of " + this + ", got one of " + other);
    }
    System.arraycopy(other.a, 0, a, 0, tasks);
    System.arraycopy(other.b, 0, b, 0, tasks);
    System.arraycopy(other.h11, 0, h11, 0, tasks);
    System.arraycopy(other.h12, 0, h12, 0, tasks);
    System.arraycopy(other.h22, 0, h22, 0, tasks);
    System.arraycopy(other.count, 0, count, 0, tasks);
  }

  /** A scaler equal to the one that produced {@code snapshot}. */
  public static PlattScaler fromSnapshot(byte[] snapshot) {
    ByteBuffer buf = ByteBuffer.wrap(snapshot).order(ByteOrder.LITTLE_ENDIAN);
    try {
      int magic = buf.getInt();
      if (magic != MAGIC) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT, "expected Platt snapshot magic %08x, got %08x", MAGIC, magic));
      }
      int tasks = buf.getInt();
      PlattScaler s = new PlattScaler(tasks, buf.getDouble(), buf.getDouble(), buf.getDouble());
      for (int t = 0; t < tasks; t++) {
        s.a[t] = buf.getDouble();
        s.b[t] = buf.getDouble();
        s.h11[t] = buf.getDouble();
        s.h12[t] = buf.getDouble();
        s.h22[t] = buf.getDouble();
        s.count[t] = buf.getLong();
      }
      if (buf.hasRemaining()) {
        throw new IllegalArgumentException(
            "expected end of Platt snapshot, got " + buf.remaining() + " trailing bytes");
      }
      return s;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException(
          "truncated Platt snapshot of " + snapshot.length + " bytes", e);
    }
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "PlattScaler{tasks=%d, priorPrecision=%s, memory=%s, maxStep=%s}",
        tasks,
        priorPrecision,
        memory,
        maxStep);
  }

  private void checkTask(int task) {
    if (task < 0 || task >= tasks) {
      throw new IndexOutOfBoundsException("expected a task in [0," + tasks + "), got " + task);
    }
  }

  private static double clip(double z) {
    return Math.max(-MAX_LOGIT, Math.min(MAX_LOGIT, z));
  }

  private static double sigmoid(double s) {
    if (s >= 0) {
      return 1.0 / (1.0 + Math.exp(-s));
    }
    double e = Math.exp(s);
    return e / (1.0 + e);
  }
}
