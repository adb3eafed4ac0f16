package io.elapse.model.metrics;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Label delay (label time − event time) of joined labels, per task and over all labels: count, mean
 * and maximum. A label counts once overall and once for each task it has a target for. Negative
 * delays (a label stamped before its event) are kept as given. {@link #snapshot()} / {@link
 * #fromSnapshot(byte[])} save and restore the state. Not thread-safe.
 */
public final class LabelDelays {

  private static final int MAGIC = 0x4C444C59; // "LDLY"

  private final long[] count;
  private final double[] sum;
  private final long[] max;

  /** Delays for {@code tasks} tasks. */
  public LabelDelays(int tasks) {
    if (tasks < 1) {
      throw new IllegalArgumentException("expected at least 1 task, got " + tasks);
    }
    // Index tasks is the overall row.
    count = new long[tasks + 1];
    sum = new double[tasks + 1];
    max = new long[tasks + 1];
  }

  /**
   * Adds one joined label with {@code delayMillis}; {@code targetsNaNMissing[t]} is NaN when the
   * label has no target for task t.
   */
  public void add(long delayMillis, double[] targetsNaNMissing) {
    int tasks = count.length - 1;
    if (targetsNaNMissing.length != tasks) {
      throw new IllegalArgumentException(
          "expected " + tasks + " targets (one per task), got " + targetsNaNMissing.length);
    }
    record(tasks, delayMillis);
    for (int t = 0; t < tasks; t++) {
      if (!Double.isNaN(targetsNaNMissing[t])) {
        record(t, delayMillis);
      }
    }
  }

  private void record(int row, long delayMillis) {
    max[row] = count[row] == 0 ? delayMillis : Math.max(max[row], delayMillis);
    count[row]++;
    sum[row] += delayMillis;
  }

  /** Mean delay of the labels with a target for {@code task} (NaN when none). */
  public double mean(int task) {
    return count[check(task)] == 0 ? Double.NaN : sum[task] / count[task];
  }

  /** Largest delay of the labels with a target for {@code task} (0 when none). */
  public long max(int task) {
    return max[check(task)];
  }

  /** Labels with a target for {@code task}. */
  public long count(int task) {
    return count[check(task)];
  }

  /** Mean delay over every label added (NaN when none). */
  public double meanOverall() {
    int all = count.length - 1;
    return count[all] == 0 ? Double.NaN : sum[all] / count[all];
  }

  /** Largest delay over every label added (0 when none). */
  public long maxOverall() {
    return max[count.length - 1];
  }

  /** Labels added. */
  public long countOverall() {
    return count[count.length - 1];
  }

  private int check(int task) {
    if (task < 0 || task >= count.length - 1) {
      throw new IndexOutOfBoundsException(
          "expected a task in [0," + (count.length - 1) + "), got " + task);
    }
    return task;
  }

  /** The complete state as bytes. */
  public byte[] snapshot() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(count.length - 1);
      for (int i = 0; i < count.length; i++) {
        out.writeLong(count[i]);
        out.writeDouble(sum[i]);
        out.writeLong(max[i]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** An instance equal to the one that produced {@code snapshot}. */
  public static LabelDelays fromSnapshot(byte[] snapshot) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new IllegalArgumentException(
            String.format("expected label delay snapshot magic %08x, got %08x", MAGIC, magic));
      }
      LabelDelays d = new LabelDelays(in.readInt());
      for (int i = 0; i < d.count.length; i++) {
        d.count[i] = in.readLong();
        d.sum[i] = in.readDouble();
        d.max[i] = in.readLong();
      }
      if (in.available() > 0) {
        throw new IllegalArgumentException(
            "expected end of label delay snapshot, got " + in.available() + " trailing bytes");
      }
      return d;
    } catch (EOFException e) {
      throw new IllegalArgumentException(
          "truncated label delay snapshot of " + snapshot.length + " bytes", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "LabelDelays{tasks=" + (count.length - 1) + ", labels=" + countOverall() + "}";
  }
}
