package io.elapse.model.io;

import java.util.ArrayList;
import java.util.List;

/**
 * A sparse delta of a parameter vector: entries {@code indices[i]} take {@code values[i]}, every
 * other entry keeps its base value. Arrays belong to the caller; record equality compares them by
 * reference.
 *
 * @param layoutName the flat layout the indices refer to
 * @param formatVersion the encoding version the bytes had
 * @param fullLength length of the full vector
 * @param indices strictly increasing indices in [0, fullLength)
 * @param values new values, one per index
 */
public record SparseParameters(
    String layoutName, int formatVersion, int fullLength, int[] indices, float[] values) {

  /** Validates lengths and indices. */
  public SparseParameters {
    check(fullLength, indices, values);
  }

  /**
   * The delta from {@code base} to {@code next}: every entry whose float bits differ. Both must
   * have the same length.
   */
  public static SparseParameters diff(String layoutName, float[] base, float[] next) {
    if (base.length != next.length) {
      throw new IllegalArgumentException(
          "expected vectors of equal length (" + base.length + "), got " + next.length);
    }
    List<Integer> changed = new ArrayList<>();
    for (int i = 0; i < base.length; i++) {
      if (Float.floatToRawIntBits(base[i]) != Float.floatToRawIntBits(next[i])) {
        changed.add(i);
      }
    }
    int[] indices = new int[changed.size()];
    float[] values = new float[changed.size()];
    for (int k = 0; k < indices.length; k++) {
      indices[k] = changed.get(k);
      values[k] = next[indices[k]];
    }
    return new SparseParameters(layoutName, ParameterCodec.VERSION, base.length, indices, values);
  }

  /** A new vector: {@code base} with this delta applied ({@code base} is not modified). */
  public float[] applyTo(float[] base) {
    if (base.length != fullLength) {
      throw new IllegalArgumentException(
          "expected a base vector of " + fullLength + " values, got " + base.length);
    }
    float[] out = base.clone();
    for (int k = 0; k < indices.length; k++) {
      out[indices[k]] = values[k];
    }
    return out;
  }

  /** Encodes this delta with {@link ParameterCodec#encodeSparse}. */
  public byte[] encode() {
    return ParameterCodec.encodeSparse(layoutName, fullLength, indices, values);
  }

  static void check(int fullLength, int[] indices, float[] values) {
    if (fullLength < 0) {
      throw new IllegalArgumentException("expected a full length >= 0, got " + fullLength);
    }
    if (indices.length != values.length) {
      throw new IllegalArgumentException(
          "expected " + indices.length + " values (one per index), got " + values.length);
    }
    int previous = -1;
    for (int i : indices) {
      if (i <= previous || i >= fullLength) {
        throw new IllegalArgumentException(
            "expected strictly increasing indices in [0,"
                + fullLength
                + "), got "
                + i
                + " after "
                + previous);
      }
      previous = i;
    }
  }
}
