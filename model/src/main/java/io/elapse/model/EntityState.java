package io.elapse.model;

import io.elapse.model.cell.StepCache;
import io.elapse.model.config.ModelConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The compact per-entity state a streaming job keeps: h and c, the number of events seen, and the
 * events of the window (the last W events, each as bucket, features, φ) so a label for any of them
 * can be trained by truncated BPTT.
 *
 * <p>The state at the window's start is not advanced eagerly (that would cost a second cell step
 * per event). Instead the state keeps an <em>anchor</em> (h, c) before an older event and up to 2W
 * buffered events since it; every W events the anchor jumps forward by W to a snapshot of the live
 * state taken when that event arrived, at no compute cost. {@link #windowStart} replays the (fewer
 * than W) buffered events between the anchor and the window with the given model. {@link #step} is
 * the one mutating method.
 *
 * <p>Size: 6H floats + 2W × (4 + 4F + 4) bytes, about 2 KB for H = 64, W = 32, F = 0.
 */
public final class EntityState {
  private static final byte VERSION = 2;
  private final int hs;
  private final int window;
  private final int cap;
  private final int nf;
  private final float[] h;
  private final float[] c;
  private final float[] anchorH;
  private final float[] anchorC;
  private final float[] midH;
  private final float[] midC;
  private final int[] buckets;
  private final float[] phis;
  private final float[] features;
  private long count;
  private int
      size; // buffered events: sequences [count - size, count); the anchor precedes the first
  private int head; // slot of the first buffered event

  private EntityState(int hs, int window, int nf) {
    this.hs = hs;
    this.window = window;
    this.cap = 2 * window;
    this.nf = nf;
    h = new float[hs];
    c = new float[hs];
    anchorH = new float[hs];
    anchorC = new float[hs];
    midH = new float[hs];
    midC = new float[hs];
    buckets = new int[cap];
    phis = new float[cap];
    features = new float[cap * nf];
  }

  /** The state of an entity that has seen no event: zero h and c, empty window. */
  public static EntityState initial(ModelConfig config) {
    return new EntityState(config.hiddenSize(), config.windowSize(), config.numFeatures());
  }

  /**
   * Feeds one event: updates h, c, the event buffer and the event count in place, and returns the
   * event's sequence number and the K logits. The only mutating method.
   *
   * @param model the current model (its configuration must match this state's sizes)
   * @param in the validated event
   * @return the sequence number and logits
   */
  public StepResult step(LstmModel model, EventInput in) {
    checkModel(model);
    if (size == cap) {
      // the anchor jumps W events forward, to the live state snapshotted before that event
      System.arraycopy(midH, 0, anchorH, 0, hs);
      System.arraycopy(midC, 0, anchorC, 0, hs);
      head = (head + window) % cap;
      size -= window;
    }
    if (size == window) {
      System.arraycopy(h, 0, midH, 0, hs);
      System.arraycopy(c, 0, midC, 0, hs);
    }
    StepCache s = model.scratch();
    model.cell().forward(in, h, c, s);
    System.arraycopy(s.h(), 0, h, 0, hs);
    System.arraycopy(s.c(), 0, c, 0, hs);
    int slot = head + size;
    if (slot >= cap) {
      slot -= cap;
    }
    buckets[slot] = in.bucket();
    phis[slot] = in.phi();
    if (nf > 0) {
      in.copyFeaturesTo(features, slot * nf);
    }
    size++;
    return new StepResult(count++, model.cell().logits(h, s));
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

  /** Whether the event with this sequence number is in the window (one of the last W events). */
  public boolean inWindow(long sequence) {
    return sequence >= sequenceOfOldest() && sequence < count;
  }

  /** Sequence number of the oldest event in the window (= {@link #eventCount()} if empty). */
  public long sequenceOfOldest() {
    return count - windowLength();
  }

  /** Number of events seen so far, i.e. the sequence number of the next event. */
  public long eventCount() {
    return count;
  }

  /** Number of events in the window (≤ W). */
  public int windowLength() {
    return Math.min(size, window);
  }

  /** The event at position {@code pos} of the window (0 = oldest); allocates. */
  public EventInput eventAtPosition(int pos) {
    int n = windowLength();
    if (pos < 0 || pos >= n) {
      throw new IndexOutOfBoundsException("expected position in [0, " + n + "), got " + pos);
    }
    return eventAtBuffered(size - n + pos);
  }

  private EventInput eventAtBuffered(int bufferPos) {
    int slot = head + bufferPos;
    if (slot >= cap) {
      slot -= cap;
    }
    float[] f = null;
    if (nf > 0) {
      f = new float[nf];
      System.arraycopy(features, slot * nf, f, 0, nf);
    }
    return new EventInput(buckets[slot], f, phis[slot]);
  }

  /**
   * Computes the state before the window's oldest event into {@code hOut}, {@code cOut}: the anchor
   * state advanced over the buffered events that precede the window with {@code model} (fewer than
   * W cell steps). Does not modify this state.
   *
   * @param model the model to replay with (normally the current one)
   * @param scratch a workspace for the replay
   * @param hOut receives h (H)
   * @param cOut receives c (H)
   */
  public void computeWindowStart(LstmModel model, StepCache scratch, float[] hOut, float[] cOut) {
    checkModel(model);
    System.arraycopy(anchorH, 0, hOut, 0, hs);
    System.arraycopy(anchorC, 0, cOut, 0, hs);
    int prefix = size - windowLength();
    for (int b = 0; b < prefix; b++) {
      model.cell().forward(eventAtBuffered(b), hOut, cOut, scratch);
      System.arraycopy(scratch.h(), 0, hOut, 0, hs);
      System.arraycopy(scratch.c(), 0, cOut, 0, hs);
    }
  }

  /** The state before the window's oldest event, replayed with {@code model} (allocates). */
  public StateSnapshot windowStart(LstmModel model) {
    float[] wh = new float[hs];
    float[] wc = new float[hs];
    computeWindowStart(model, new StepCache(model.config()), wh, wc);
    return new StateSnapshot(wh, wc);
  }

  /** A copy of h. */
  public float[] hidden() {
    return h.clone();
  }

  /** A copy of c. */
  public float[] cell() {
    return c.clone();
  }

  /** A deep copy. */
  public EntityState copy() {
    return decode(hs, window, nf, encode());
  }

  /**
   * Versioned little-endian encoding: version byte (2), H, W, F (int32), count (int64), buffered
   * length n (int32, ≤ 2W), h, c, anchor h, anchor c, snapshot h, snapshot c (H float32 each), then
   * the n buffered events oldest first as (bucket int32, φ float32, F float32).
   */
  public byte[] encode() {
    int bytes = HEADER + 6 * 4 * hs + size * (8 + 4 * nf);
    ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put(VERSION).putInt(hs).putInt(window).putInt(nf).putLong(count).putInt(size);
    for (float[] a : new float[][] {h, c, anchorH, anchorC, midH, midC}) {
      for (float v : a) {
        b.putFloat(v);
      }
    }
    for (int pos = 0; pos < size; pos++) {
      int slot = (head + pos) % cap;
      b.putInt(buckets[slot]).putFloat(phis[slot]);
      for (int j = 0; j < nf; j++) {
        b.putFloat(features[slot * nf + j]);
      }
    }
    return b.array();
  }

  private static final int HEADER = 1 + 4 * 3 + 8 + 4;

  /**
   * Decodes {@link #encode()} output for a configuration.
   *
   * @throws IllegalArgumentException on a version, size or length mismatch
   */
  public static EntityState decode(ModelConfig config, byte[] bytes) {
    return decode(config.hiddenSize(), config.windowSize(), config.numFeatures(), bytes);
  }

  /**
   * Decodes {@link #encode()} output with the sizes its header gives; {@link #fits} tells whether
   * they match a configuration.
   *
   * @throws IllegalArgumentException on a version or length mismatch
   */
  public static EntityState decode(byte[] bytes) {
    if (bytes == null || bytes.length < HEADER) {
      return decode(0, 0, 0, bytes); // the length check below says what is wrong
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    return decode(b.getInt(1), b.getInt(5), b.getInt(9), bytes);
  }

  /** Whether this state's sizes (H, W, F) are those of {@code config}. */
  public boolean fits(ModelConfig config) {
    return hs == config.hiddenSize() && window == config.windowSize() && nf == config.numFeatures();
  }

  /** This state's sizes, for error messages: "H=…, W=…, F=…". */
  public String shape() {
    return "H=" + hs + ", W=" + window + ", F=" + nf;
  }

  private static EntityState decode(int hs, int window, int nf, byte[] bytes) {
    if (bytes == null || bytes.length < HEADER) {
      throw new IllegalArgumentException(
          "expected at least "
              + HEADER
              + " bytes of entity state, got "
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
    if (n < 0 || n > 2 * window || n > s.count) {
      throw new IllegalArgumentException(
          "expected buffered length in [0, min(" + 2 * window + ", " + s.count + ")], got " + n);
    }
    int expected = HEADER + 6 * 4 * hs + n * (8 + 4 * nf);
    if (bytes.length != expected) {
      throw new IllegalArgumentException(
          "expected " + expected + " bytes of entity state, got " + bytes.length);
    }
    for (float[] a : new float[][] {s.h, s.c, s.anchorH, s.anchorC, s.midH, s.midC}) {
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
