package io.elapse.model.optim;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Snapshot layout shared by the optimizers, little-endian: magic "EOPT", format version (int), type
 * ordinal (int), lr, beta1, beta2, epsilon, momentum (doubles), size (int), iteration (long),
 * number of state vectors (int), then each state vector as {@code size} float32 values.
 */
final class Snapshots {

  static final int MAGIC = 0x45_4F_50_54; // "EOPT"
  static final int VERSION = 1;

  private Snapshots() {}

  static byte[] write(OptimizerConfig c, int size, long iteration, float[]... states) {
    long length = 4 + 4 + 4 + 5 * 8 + 4 + 8 + 4 + 4L * size * states.length;
    if (length > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("optimizer state of " + length + " bytes is too large");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(MAGIC).putInt(VERSION).putInt(c.type().ordinal());
    buf.putDouble(c.learningRate()).putDouble(c.beta1()).putDouble(c.beta2());
    buf.putDouble(c.epsilon()).putDouble(c.momentum());
    buf.putInt(size).putLong(iteration).putInt(states.length);
    for (float[] s : states) {
      buf.asFloatBuffer().put(s);
      buf.position(buf.position() + 4 * s.length);
    }
    return buf.array();
  }

  /**
   * Reads a snapshot into {@code states} after checking it matches {@code c} and {@code size};
   * returns the iteration.
   */
  static long read(byte[] bytes, OptimizerConfig c, int size, float[]... states) {
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    try {
      int magic = buf.getInt();
      expect("magic", MAGIC, magic);
      expect("snapshot version", VERSION, buf.getInt());
      int type = buf.getInt();
      if (type != c.type().ordinal()) {
        throw new IllegalArgumentException(
            "expected a " + c.type() + " snapshot, got type ordinal " + type);
      }
      OptimizerConfig stored =
          new OptimizerConfig(
              c.type(),
              buf.getDouble(),
              buf.getDouble(),
              buf.getDouble(),
              buf.getDouble(),
              buf.getDouble());
      if (!stored.equals(c)) {
        throw new IllegalArgumentException(
            "expected a snapshot of " + c + ", got one of " + stored);
      }
      expect("parameter count", size, buf.getInt());
      long iteration = buf.getLong();
      expect("state vectors", states.length, buf.getInt());
      long need = 4L * size * states.length;
      if (buf.remaining() != need) {
        throw new IllegalArgumentException(
            "expected " + need + " bytes of optimizer state, got " + buf.remaining());
      }
      float[][] read = new float[states.length][size];
      for (float[] s : read) {
        buf.asFloatBuffer().get(s);
        buf.position(buf.position() + 4 * size);
      }
      for (int i = 0; i < states.length; i++) {
        System.arraycopy(read[i], 0, states[i], 0, size);
      }
      return iteration;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException(
          "truncated optimizer snapshot of " + bytes.length + " bytes", e);
    }
  }

  /** The configuration stored in a snapshot (magic and version checked). */
  static OptimizerConfig config(byte[] bytes) {
    ByteBuffer buf = header(bytes);
    int type = buf.getInt();
    OptimizerConfig.Type[] types = OptimizerConfig.Type.values();
    if (type < 0 || type >= types.length) {
      throw new IllegalArgumentException(
          "expected an optimizer type ordinal in [0," + types.length + "), got " + type);
    }
    return new OptimizerConfig(
        types[type],
        buf.getDouble(),
        buf.getDouble(),
        buf.getDouble(),
        buf.getDouble(),
        buf.getDouble());
  }

  /** The parameter count stored in a snapshot. */
  static int size(byte[] bytes) {
    ByteBuffer buf = header(bytes);
    buf.position(buf.position() + 4 + 5 * 8);
    int size = buf.getInt();
    if (size < 0) {
      throw new IllegalArgumentException("expected a parameter count >= 0, got " + size);
    }
    return size;
  }

  private static ByteBuffer header(byte[] bytes) {
    if (bytes.length < 4 + 4 + 4 + 5 * 8 + 4 + 8 + 4) {
      throw new IllegalArgumentException(
          "truncated optimizer snapshot of " + bytes.length + " bytes");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    expect("magic", MAGIC, buf.getInt());
    expect("snapshot version", VERSION, buf.getInt());
    return buf;
  }

  static void checkDense(int size, float[] params, float[] gradient) {
    if (params.length != size) {
      throw new IllegalArgumentException("expected " + size + " parameters, got " + params.length);
    }
    if (gradient.length != size) {
      throw new IllegalArgumentException(
          "expected a gradient of " + size + " values (one per parameter), got " + gradient.length);
    }
  }

  static void checkSparse(int size, float[] params, int[] indices, float[] values) {
    if (params.length != size) {
      throw new IllegalArgumentException("expected " + size + " parameters, got " + params.length);
    }
    if (indices.length != values.length) {
      throw new IllegalArgumentException(
          "expected " + indices.length + " sparse values (one per index), got " + values.length);
    }
    for (int i : indices) {
      if (i < 0 || i >= size) {
        throw new IndexOutOfBoundsException(
            "expected sparse indices in [0," + size + "), got " + i);
      }
    }
  }

  private static void expect(String what, long expected, long got) {
    if (expected != got) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "expected %s %d, got %d", what, expected, got));
    }
  }
}
