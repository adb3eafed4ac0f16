package io.elapse.model;

import io.elapse.model.cell.StepCache;
import io.elapse.model.config.ModelConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The compact per-entity state a streaming job keeps: h and c, the number of events seen, and a
 * ring of the last W events (bucket, features, φ) with the (h, c) state at the ring's start, so a
 * label for any event in the ring can be trained by truncated BPTT.
 *
 * <p>When the ring is full, appending an event first advances the ring start by one cell step on
 * the oldest event with the current model (so the start state is always the state before {@link
 * #sequenceOfOldest()}). {@link #step} is the one mutating method.
 *
 * <p>Size: 4H floats + W × (4 + 4F + 4) bytes, about 1.3 KB for H = 64, W = 32, F = 0.
 */
public final class EntityState {
  private static final byte VERSION = 1;
  private final int hs;
  private final int window;
  private final int nf;
  private final float[] h;
  private final float[] c;
  private final float[] startH;
  private final float[] startC;
  private final int[] buckets;
  private final float[] phis;
  private final float[] features;
  private long count;
  private int size;
  private int head;

  private EntityState(int hs, int window, int nf) {
    this.hs = hs;
    this.window = window;
    this.nf = nf;
    h = new float[hs];
    c = new float[hs];
    startH = new float[hs];
    startC = new float[hs];
    buckets = new int[window];
    phis = new float[window];
    features = new float[window * nf];
  }

  /** The state of an entity that has seen no event: zero h and c, empty ring. */
  public static EntityState initial(ModelConfig config) {
    return new EntityState(config.hiddenSize(), config.windowSize(), config.numFeatures());
  }

  /**
   * Feeds one event: updates h, c, the ring (advancing its start when full) and the event count in
   * place, and returns the event's sequence number and the K logits. The only mutating method.
   *
   * @param model the current model (its configuration must match this state's sizes)
   * @param in the validated event
   * @return the sequence number and logits
   */
  public StepResult step(LstmModel model, EventInput in) {
    checkModel(model);
    StepCache s = model.scratch();
    if (size == window) {
      model.cell().forward(eventAt(head), startH, startC, s);
      System.arraycopy(s.h(), 0, startH, 0, hs);
      System.arraycopy(s.c(), 0, startC, 0, hs);
      head = head + 1 == window ? 0 : head + 1;
      size--;
    }
    model.cell().forward(in, h, c, s);
    System.arraycopy(s.h(), 0, h, 0, hs);
    System.arraycopy(s.c(), 0, c, 0, hs);
    int slot = head + size;
    if (slot >= window) {
      slot -= window;
    }
    buckets[slot] = in.bucket();
    phis[slot] = in.phi();
    if (nf > 0) {
      in.copyFeaturesTo(features, slot * nf);
    }
    size++;
    float[] logits = new float[model.config().numTasks()];
    model.cell().head(h, logits);
    return new StepResult(count++, logits);
  }

  private void checkModel(LstmModel model) {
    ModelConfig mc = model.config();
    if (mc.hiddenSize() != hs || mc.windowSize() != window || mc.numFeatures() != nf) {
      throw new IllegalArgumentException(
          "expected a model with H="
              + hs
              + ", W="
              + window
              + ", F="
              + nf
              + ", got H="
              + mc.hiddenSize()
              + ", W="
              + mc.windowSize()
              + ", F="
              + mc.numFeatures());
    }
  }

  /** Whether the event with this sequence number is in the ring (trainable). */
  public boolean inWindow(long sequence) {
    return sequence >= count - size && sequence < count;
  }

  /** Sequence number of the oldest event in the ring (= {@link #eventCount()} if empty). */
  public long sequenceOfOldest() {
    return count - size;
  }

  /** Number of events seen so far, i.e. the sequence number of the next event. */
  public long eventCount() {
    return count;
  }

  /** Number of events in the ring (≤ W). */
  public int windowLength() {
    return size;
  }

  /** The event at position {@code pos} of the ring (0 = oldest); allocates. */
  public EventInput eventAtPosition(int pos) {
    if (pos < 0 || pos >= size) {
      throw new IndexOutOfBoundsException("expected position in [0, " + size + "), got " + pos);
    }
    int slot = head + pos;
    if (slot >= window) {
      slot -= window;
    }
    return eventAt(slot);
  }

  private EventInput eventAt(int slot) {
    float[] f = null;
    if (nf > 0) {
      f = new float[nf];
      System.arraycopy(features, slot * nf, f, 0, nf);
    }
    return new EventInput(buckets[slot], f, phis[slot]);
  }

  /** A copy of h. */
  public float[] hidden() {
    return h.clone();
  }

  /** A copy of c. */
  public float[] cell() {
    return c.clone();
  }

  /** A copy of h at the ring's start. */
  public float[] startHidden() {
    return startH.clone();
  }

  /** A copy of c at the ring's start. */
  public float[] startCell() {
    return startC.clone();
  }

  /** Copies the ring-start state into the given arrays (hot path, no allocation). */
  public void copyStartState(float[] hOut, float[] cOut) {
    System.arraycopy(startH, 0, hOut, 0, hs);
    System.arraycopy(startC, 0, cOut, 0, hs);
  }

  /** A deep copy. */
  public EntityState copy() {
    return decode(hs, window, nf, encode());
  }

  /**
   * Versioned little-endian encoding: version byte (1), H, W, F (int32), count (int64), ring length
   * n (int32), h, c, startH, startC (H float32 each), then n events oldest first as (bucket int32,
   * φ float32, F float32).
   */
  public byte[] encode() {
    int bytes = 1 + 4 * 3 + 8 + 4 + 4 * 4 * hs + size * (8 + 4 * nf);
    ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put(VERSION).putInt(hs).putInt(window).putInt(nf).putLong(count).putInt(size);
    for (float[] a : new float[][] {h, c, startH, startC}) {
      for (float v : a) {
        b.putFloat(v);
      }
    }
    for (int pos = 0; pos < size; pos++) {
      int slot = (head + pos) % window;
      b.putInt(buckets[slot]).putFloat(phis[slot]);
      for (int j = 0; j < nf; j++) {
        b.putFloat(features[slot * nf + j]);
      }
    }
    return b.array();
  }

  /**
   * Decodes {@link #encode()} output for a configuration.
   *
   * @throws IllegalArgumentException on a version, size or length mismatch
   */
  public static EntityState decode(ModelConfig config, byte[] bytes) {
    return decode(config.hiddenSize(), config.windowSize(), config.numFeatures(), bytes);
  }

  private static EntityState decode(int hs, int window, int nf, byte[] bytes) {
    if (bytes == null || bytes.length < 25) {
      throw new IllegalArgumentException(
          "expected at least 25 bytes of entity state, got "
              + (bytes == null ? "null" : bytes.length));
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    byte version = b.get();
    if (version != VERSION) {
      throw new IllegalArgumentException(
          "expected entity state version " + VERSION + ", got " + version);
    }
    int gotH = b.getInt();
    int gotW = b.getInt();
    int gotF = b.getInt();
    if (gotH != hs || gotW != window || gotF != nf) {
      throw new IllegalArgumentException(
          "expected entity state with H="
              + hs
              + ", W="
              + window
              + ", F="
              + nf
              + ", got H="
              + gotH
              + ", W="
              + gotW
              + ", F="
              + gotF);
    }
    EntityState s = new EntityState(hs, window, nf);
    s.count = b.getLong();
    int n = b.getInt();
    if (n < 0 || n > window || n > s.count) {
      throw new IllegalArgumentException(
          "expected ring length in [0, min(" + window + ", " + s.count + ")], got " + n);
    }
    int expected = 1 + 4 * 3 + 8 + 4 + 4 * 4 * hs + n * (8 + 4 * nf);
    if (bytes.length != expected) {
      throw new IllegalArgumentException(
          "expected " + expected + " bytes of entity state, got " + bytes.length);
    }
    for (float[] a : new float[][] {s.h, s.c, s.startH, s.startC}) {
      for (int q = 0; q < hs; q++) {
        a[q] = b.getFloat();
      }
    }
    for (int pos = 0; pos < n; pos++) {
      s.buckets[pos] = b.getInt();
      s.phis[pos] = b.getFloat();
      for (int j = 0; j < nf; j++) {
        s.features[pos * nf + j] = b.getFloat();
      }
    }
    s.size = n;
    s.head = 0;
    return s;
  }
}
