package io.elapse.model.metrics;

import io.elapse.model.calibration.PredictionSet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streaming prequential metrics for K masked binary tasks.
 *
 * <p>Feed each prediction once its labels are known: {@link #add} per present (task, probability,
 * target, set), and {@link #addExample} per example for recall/precision at k. A NaN target means
 * the label is missing and is ignored. {@link #report()} returns per-task rows and an overall row
 * pooled over every present label (micro average); see {@link TaskMetrics} for the definitions.
 *
 * <p>Two modes:
 *
 * <ul>
 *   <li>{@link #cumulative}: everything since creation or {@link #reset()}. AUC is exact over all
 *       labels while a task has at most {@code aucCapacity} of them; beyond that it is computed
 *       over a uniform reservoir sample (Vitter's algorithm R, seeded) and flagged {@code aucExact
 *       = false}.
 *   <li>{@link #sliding}: only the last {@code window} present labels per task and the last {@code
 *       window} examples; AUC is always exact over the window. Report cost is O(K·window·log).
 * </ul>
 *
 * <p>Recall/precision at k, per example: among the tasks whose label is present, rank by
 * probability (descending; ties by task index), take the top min(k, present); precision@k = hits /
 * min(k, present), recall@k = hits / positives, where a hit is a target ≥ 0.5. Examples without a
 * present label are left out of precision, examples without a positive out of recall.
 *
 * <p>{@link #snapshot()} / {@link #fromSnapshot(byte[])} save and restore the complete state (for
 * operator checkpoints); a restored instance reports and continues exactly like the original. Not
 * thread-safe.
 */
public final class PrequentialMetrics {

  /** Number of equal-width bins of the expected calibration error. */
  public static final int ECE_BINS = 15;

  /** Default k of recall/precision at k. */
  public static final int DEFAULT_K = 5;

  /** Default number of (score, label) pairs per task kept for an exact cumulative AUC. */
  public static final int DEFAULT_AUC_CAPACITY = 100_000;

  private static final int MAGIC = 0x504D4554; // "PMET"

  private final int tasks;
  private final int k;
  private final int capacity;
  private final boolean sliding;
  private final long seed;

  // Cumulative mode.
  private Accumulator[] acc;
  private long randomState;
  private long[] seen;
  private double precisionSum;
  private long precisionCount;
  private double recallSum;
  private long recallCount;
  private long examples;

  // Score store: cumulative = growing reservoir; sliding = ring.
  private double[][] probs;
  private double[][] targets;
  private byte[][] sets;
  private int[] head;
  private int[] size;
  private double[] exPrecision;
  private double[] exRecall;
  private int exHead;
  private int exSize;

  private PrequentialMetrics(int tasks, int k, int capacity, boolean sliding, long seed) {
    if (tasks < 1) {
      throw new IllegalArgumentException("expected at least 1 task, got " + tasks);
    }
    if (k < 1) {
      throw new IllegalArgumentException("expected k >= 1, got " + k);
    }
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "expected a " + (sliding ? "window" : "AUC capacity") + " >= 1, got " + capacity);
    }
    this.tasks = tasks;
    this.k = k;
    this.capacity = capacity;
    this.sliding = sliding;
    this.seed = seed;
    reset();
  }

  /** Cumulative metrics with k = 5 and an exact AUC up to 100,000 labels per task. */
  public static PrequentialMetrics cumulative(int tasks) {
    return new PrequentialMetrics(tasks, DEFAULT_K, DEFAULT_AUC_CAPACITY, false, 42L);
  }

  /** Cumulative metrics; {@code seed} drives the AUC reservoir once a task passes its capacity. */
  public static PrequentialMetrics cumulative(int tasks, int k, int aucCapacity, long seed) {
    return new PrequentialMetrics(tasks, k, aucCapacity, false, seed);
  }

  /** Metrics over the last {@code window} labels per task and the last {@code window} examples. */
  public static PrequentialMetrics sliding(int tasks, int window, int k) {
    return new PrequentialMetrics(tasks, k, window, true, 0L);
  }

  /** Forgets everything. */
  public void reset() {
    acc = new Accumulator[tasks];
    for (int t = 0; t < tasks; t++) {
      acc[t] = new Accumulator();
    }
    randomState = seed;
    seen = new long[tasks];
    precisionSum = 0;
    precisionCount = 0;
    recallSum = 0;
    recallCount = 0;
    examples = 0;
    int initial = sliding ? capacity : Math.min(capacity, 1024);
    probs = new double[tasks][initial];
    targets = new double[tasks][initial];
    sets = new byte[tasks][initial];
    head = new int[tasks];
    size = new int[tasks];
    exPrecision = new double[sliding ? capacity : 0];
    exRecall = new double[sliding ? capacity : 0];
    exHead = 0;
    exSize = 0;
  }

  /**
   * Adds one prediction of {@code task} with its outcome.
   *
   * @param prob calibrated probability of label 1, in [0, 1]
   * @param target outcome in [0, 1], or NaN when missing (then nothing is recorded)
   * @param set the conformal set emitted with the prediction, or null if none
   */
  public void add(int task, double prob, double target, PredictionSet set) {
    if (task < 0 || task >= tasks) {
      throw new IndexOutOfBoundsException("expected a task in [0," + tasks + "), got " + task);
    }
    if (Double.isNaN(target)) {
      return;
    }
    if (!(prob >= 0.0 && prob <= 1.0)) {
      throw new IllegalArgumentException("expected a probability in [0,1], got " + prob);
    }
    if (!(target >= 0.0 && target <= 1.0)) {
      throw new IllegalArgumentException("expected a target in [0,1] or NaN, got " + target);
    }
    byte code = (byte) (set == null ? -1 : set.ordinal());
    if (sliding) {
      int at = head[task];
      probs[task][at] = prob;
      targets[task][at] = target;
      sets[task][at] = code;
      head[task] = (at + 1) % capacity;
      size[task] = Math.min(size[task] + 1, capacity);
      return;
    }
    acc[task].add(prob, target, set);
    long n = ++seen[task];
    if (n <= capacity) {
      int at = (int) (n - 1);
      if (at == probs[task].length) {
        int grown = (int) Math.min(capacity, 2L * probs[task].length);
        probs[task] = Arrays.copyOf(probs[task], grown);
        targets[task] = Arrays.copyOf(targets[task], grown);
        sets[task] = Arrays.copyOf(sets[task], grown);
      }
      probs[task][at] = prob;
      targets[task][at] = target;
      sets[task][at] = code;
      size[task] = at + 1;
    } else {
      long j = (long) (nextDouble() * n);
      if (j < capacity) {
        probs[task][(int) j] = prob;
        targets[task][(int) j] = target;
        sets[task][(int) j] = code;
      }
    }
  }

  /**
   * Adds one example for recall/precision at k (it does not add per-task rows; see {@link
   * #addExample(double[], double[], PredictionSet[])}).
   *
   * @param probs per task probability, length K
   * @param targetsNaNMissing per task target in [0, 1], NaN when missing, length K
   */
  public void addExample(double[] probs, double[] targetsNaNMissing) {
    checkLength("probabilities", probs.length);
    checkLength("targets", targetsNaNMissing.length);
    int present = 0;
    int positives = 0;
    for (int t = 0; t < tasks; t++) {
      if (!Double.isNaN(targetsNaNMissing[t])) {
        if (!(probs[t] >= 0.0 && probs[t] <= 1.0)) {
          throw new IllegalArgumentException(
              "expected a probability in [0,1] for task " + t + ", got " + probs[t]);
        }
        present++;
        if (targetsNaNMissing[t] >= 0.5) {
          positives++;
        }
      }
    }
    double precision = Double.NaN;
    double recall = Double.NaN;
    if (present > 0) {
      int top = Math.min(k, present);
      boolean[] taken = new boolean[tasks];
      int hits = 0;
      for (int r = 0; r < top; r++) {
        int best = -1;
        for (int t = 0; t < tasks; t++) {
          if (!taken[t]
              && !Double.isNaN(targetsNaNMissing[t])
              && (best < 0 || probs[t] > probs[best])) {
            best = t;
          }
        }
        taken[best] = true;
        if (targetsNaNMissing[best] >= 0.5) {
          hits++;
        }
      }
      precision = (double) hits / top;
      if (positives > 0) {
        recall = (double) hits / positives;
      }
    }
    if (sliding) {
      exPrecision[exHead] = precision;
      exRecall[exHead] = recall;
      exHead = (exHead + 1) % capacity;
      exSize = Math.min(exSize + 1, capacity);
      return;
    }
    examples++;
    if (!Double.isNaN(precision)) {
      precisionSum += precision;
      precisionCount++;
    }
    if (!Double.isNaN(recall)) {
      recallSum += recall;
      recallCount++;
    }
  }

  /** Adds every present label of one example with its set (sets may be null) and the example. */
  public void addExample(double[] probs, double[] targetsNaNMissing, PredictionSet[] sets) {
    if (sets != null) {
      checkLength("sets", sets.length);
    }
    addExample(probs, targetsNaNMissing);
    for (int t = 0; t < tasks; t++) {
      add(t, probs[t], targetsNaNMissing[t], sets == null ? null : sets[t]);
    }
  }

  /** The metrics as of now. */
  public MetricsReport report() {
    List<TaskMetrics> rows = new ArrayList<>(tasks);
    Accumulator overall = new Accumulator();
    int pooled = 0;
    for (int t = 0; t < tasks; t++) {
      pooled += size[t];
    }
    double[] allScores = new double[pooled];
    boolean[] allLabels = new boolean[pooled];
    int filled = 0;
    boolean allExact = true;
    double macroSum = 0;
    int macroCount = 0;
    for (int t = 0; t < tasks; t++) {
      int n = size[t];
      Accumulator a = accumulator(t);
      boolean[] labels = new boolean[n];
      for (int i = 0; i < n; i++) {
        labels[i] = targets[t][i] >= 0.5;
        allScores[filled] = probs[t][i];
        allLabels[filled] = labels[i];
        filled++;
      }
      double auc = Auc.exact(probs[t], labels, n);
      boolean exact = sliding || seen[t] <= capacity;
      allExact &= exact;
      if (!Double.isNaN(auc)) {
        macroSum += auc;
        macroCount++;
      }
      rows.add(a.toMetrics(auc, exact));
      overall.merge(a);
    }
    double overallAuc = Auc.exact(allScores, allLabels, pooled);
    double precision;
    double recall;
    long exampleCount;
    if (sliding) {
      double ps = 0;
      long pc = 0;
      double rs = 0;
      long rc = 0;
      for (int i = 0; i < exSize; i++) {
        if (!Double.isNaN(exPrecision[i])) {
          ps += exPrecision[i];
          pc++;
        }
        if (!Double.isNaN(exRecall[i])) {
          rs += exRecall[i];
          rc++;
        }
      }
      precision = pc == 0 ? Double.NaN : ps / pc;
      recall = rc == 0 ? Double.NaN : rs / rc;
      exampleCount = exSize;
    } else {
      precision = precisionCount == 0 ? Double.NaN : precisionSum / precisionCount;
      recall = recallCount == 0 ? Double.NaN : recallSum / recallCount;
      exampleCount = examples;
    }
    return new MetricsReport(
        rows,
        overall.toMetrics(overallAuc, allExact),
        macroCount == 0 ? Double.NaN : macroSum / macroCount,
        k,
        exampleCount,
        precision,
        recall);
  }

  /** The complete state as bytes; see {@link #fromSnapshot(byte[])}. */
  public byte[] snapshot() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(tasks);
      out.writeInt(k);
      out.writeInt(capacity);
      out.writeBoolean(sliding);
      out.writeLong(seed);
      out.writeLong(randomState);
      out.writeDouble(precisionSum);
      out.writeLong(precisionCount);
      out.writeDouble(recallSum);
      out.writeLong(recallCount);
      out.writeLong(examples);
      for (int t = 0; t < tasks; t++) {
        Accumulator a = acc[t];
        out.writeLong(a.n);
        out.writeDouble(a.sumLogLoss);
        out.writeDouble(a.sumBrier);
        out.writeDouble(a.sumCorrect);
        out.writeDouble(a.sumTarget);
        out.writeDouble(a.sumProb);
        out.writeLong(a.setN);
        out.writeLong(a.setCovered);
        out.writeLong(a.setSizeSum);
        for (int b = 0; b < ECE_BINS; b++) {
          out.writeLong(a.binN[b]);
          out.writeDouble(a.binProb[b]);
          out.writeDouble(a.binTarget[b]);
        }
        out.writeLong(seen[t]);
        out.writeInt(head[t]);
        out.writeInt(size[t]);
        int stored = sliding ? capacity : size[t];
        for (int i = 0; i < stored; i++) {
          out.writeDouble(probs[t][i]);
          out.writeDouble(targets[t][i]);
          out.writeByte(sets[t][i]);
        }
      }
      out.writeInt(exHead);
      out.writeInt(exSize);
      for (int i = 0; i < exPrecision.length; i++) {
        out.writeDouble(exPrecision[i]);
        out.writeDouble(exRecall[i]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** An instance equal to the one that produced {@code snapshot}. */
  public static PrequentialMetrics fromSnapshot(byte[] snapshot) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new IllegalArgumentException(
            String.format("expected metrics snapshot magic %08x, got %08x", MAGIC, magic));
      }
      int tasks = in.readInt();
      int k = in.readInt();
      int capacity = in.readInt();
      boolean sliding = in.readBoolean();
      PrequentialMetrics m = new PrequentialMetrics(tasks, k, capacity, sliding, in.readLong());
      m.randomState = in.readLong();
      m.precisionSum = in.readDouble();
      m.precisionCount = in.readLong();
      m.recallSum = in.readDouble();
      m.recallCount = in.readLong();
      m.examples = in.readLong();
      for (int t = 0; t < tasks; t++) {
        Accumulator a = m.acc[t];
        a.n = in.readLong();
        a.sumLogLoss = in.readDouble();
        a.sumBrier = in.readDouble();
        a.sumCorrect = in.readDouble();
        a.sumTarget = in.readDouble();
        a.sumProb = in.readDouble();
        a.setN = in.readLong();
        a.setCovered = in.readLong();
        a.setSizeSum = in.readLong();
        for (int b = 0; b < ECE_BINS; b++) {
          a.binN[b] = in.readLong();
          a.binProb[b] = in.readDouble();
          a.binTarget[b] = in.readDouble();
        }
        m.seen[t] = in.readLong();
        m.head[t] = in.readInt();
        m.size[t] = in.readInt();
        if (m.size[t] < 0 || m.size[t] > capacity || m.head[t] < 0 || m.head[t] >= capacity) {
          throw new IllegalArgumentException(
              "corrupt metrics snapshot: task " + t + " size " + m.size[t] + ", head " + m.head[t]);
        }
        int stored = sliding ? capacity : m.size[t];
        if (!sliding) {
          m.probs[t] = new double[Math.max(stored, 1)];
          m.targets[t] = new double[Math.max(stored, 1)];
          m.sets[t] = new byte[Math.max(stored, 1)];
        }
        for (int i = 0; i < stored; i++) {
          m.probs[t][i] = in.readDouble();
          m.targets[t][i] = in.readDouble();
          m.sets[t][i] = in.readByte();
        }
      }
      m.exHead = in.readInt();
      m.exSize = in.readInt();
      for (int i = 0; i < m.exPrecision.length; i++) {
        m.exPrecision[i] = in.readDouble();
        m.exRecall[i] = in.readDouble();
      }
      if (in.available() > 0) {
        throw new IllegalArgumentException(
            "expected end of metrics snapshot, got " + in.available() + " trailing bytes");
      }
      return m;
    } catch (java.io.EOFException e) {
      throw new IllegalArgumentException(
          "truncated metrics snapshot of " + snapshot.length + " bytes", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Uniform double in [0, 1) from SplitMix64 (Steele et al. 2014), so the state is one long. */
  private double nextDouble() {
    long z = (randomState += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (z >>> 11) * 0x1.0p-53;
  }

  /**
   * The reliability diagram of {@code task} (15 equal-width bins, as in the ECE), over the same
   * labels as {@link #report()}.
   */
  public ReliabilityDiagram reliability(int task) {
    if (task < 0 || task >= tasks) {
      throw new IndexOutOfBoundsException("expected a task in [0," + tasks + "), got " + task);
    }
    return diagram(accumulator(task));
  }

  /** The reliability diagram pooled over every present label of every task. */
  public ReliabilityDiagram reliabilityOverall() {
    Accumulator all = new Accumulator();
    for (int t = 0; t < tasks; t++) {
      all.merge(accumulator(t));
    }
    return diagram(all);
  }

  private static ReliabilityDiagram diagram(Accumulator a) {
    List<ReliabilityDiagram.Bin> bins = new ArrayList<>(ECE_BINS);
    for (int b = 0; b < ECE_BINS; b++) {
      long n = a.binN[b];
      bins.add(
          new ReliabilityDiagram.Bin(
              (double) b / ECE_BINS,
              (double) (b + 1) / ECE_BINS,
              n,
              n == 0 ? Double.NaN : a.binProb[b] / n,
              n == 0 ? Double.NaN : a.binTarget[b] / n));
    }
    return new ReliabilityDiagram(bins);
  }

  private Accumulator accumulator(int t) {
    if (!sliding) {
      return acc[t];
    }
    Accumulator a = new Accumulator();
    for (int i = 0; i < size[t]; i++) {
      byte c = sets[t][i];
      a.add(probs[t][i], targets[t][i], c < 0 ? null : PredictionSet.values()[c]);
    }
    return a;
  }

  /** Number of tasks. */
  public int tasks() {
    return tasks;
  }

  /** Whether this instance keeps a sliding window. */
  public boolean isSliding() {
    return sliding;
  }

  @Override
  public String toString() {
    return "PrequentialMetrics{tasks="
        + tasks
        + ", k="
        + k
        + (sliding ? ", window=" : ", aucCapacity=")
        + capacity
        + "}";
  }

  private void checkLength(String what, int length) {
    if (length != tasks) {
      throw new IllegalArgumentException(
          "expected " + tasks + " " + what + " (one per task), got " + length);
    }
  }
}
