package io.elapse.model.cell;

import static io.elapse.model.cell.ScalarVec.A1;
import static io.elapse.model.cell.ScalarVec.A11;
import static io.elapse.model.cell.ScalarVec.A13;
import static io.elapse.model.cell.ScalarVec.A3;
import static io.elapse.model.cell.ScalarVec.A5;
import static io.elapse.model.cell.ScalarVec.A7;
import static io.elapse.model.cell.ScalarVec.A9;
import static io.elapse.model.cell.ScalarVec.B0;
import static io.elapse.model.cell.ScalarVec.B2;
import static io.elapse.model.cell.ScalarVec.B4;
import static io.elapse.model.cell.ScalarVec.B6;
import static io.elapse.model.cell.ScalarVec.CLAMP;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The loops of {@link ScalarVec} on the JDK Vector API ({@code jdk.incubator.vector}, JEP 414 in
 * JDK 17), at the machine's preferred vector width; the remainder of a length that is not a
 * multiple of the width goes through {@link ScalarVec}.
 *
 * <p>Every lane computes exactly what the scalar loop computes for that index, with the same
 * operations in the same order (separate multiply and add, no fused multiply-add, no reordered
 * sums), so results are bit-for-bit those of {@link ScalarVec} ({@code SimdVecTest}). What it buys
 * over C2's auto-vectorization: no scalar pre- and post-loops on short rows (H = 64, K = 32) and
 * vectorized rational tanh and sigmoid, which C2 leaves scalar (division, min, max).
 *
 * <p>Loaded only when {@link Kernels} found the module in the boot layer.
 */
final class SimdVec {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  // floats as many as D's doubles (half D's bits): the shape a D2F cast fills
  private static final VectorSpecies<Float> F_OF_D =
      VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));

  private SimdVec() {}

  /** Float lanes per vector on this machine. */
  static int floatLanes() {
    return F.length();
  }

  /** As {@link ScalarVec#gemv}: axpy passes over four rows at a time. */
  static void gemv(float[] v, int from, int to, float[][] w, int n, float[] y) {
    int j = from;
    for (; j + 4 <= to; j += 4) {
      axpy4(v, w, j, y, n);
    }
    for (; j < to; j++) {
      axpy(v[j], w[j], y, n);
    }
  }

  /** As ScalarVec's axpy4: y[0..n) += Σ_{r<4} v[j+r]·w[j+r], summed in that order. */
  private static void axpy4(float[] v, float[][] w, int j, float[] y, int n) {
    final float a0 = v[j];
    final float a1 = v[j + 1];
    final float a2 = v[j + 2];
    final float a3 = v[j + 3];
    final float[] w0 = w[j];
    final float[] w1 = w[j + 1];
    final float[] w2 = w[j + 2];
    final float[] w3 = w[j + 3];
    final int bound = F.loopBound(n);
    int q = 0;
    for (; q < bound; q += F.length()) {
      FloatVector t =
          FloatVector.fromArray(F, w0, q)
              .mul(a0)
              .add(FloatVector.fromArray(F, w1, q).mul(a1))
              .add(FloatVector.fromArray(F, w2, q).mul(a2))
              .add(FloatVector.fromArray(F, w3, q).mul(a3));
      FloatVector.fromArray(F, y, q).add(t).intoArray(y, q);
    }
    ScalarVec.axpy4(v, w, j, y, q, n);
  }

  /** y[0..n) += a · w[0..n). */
  static void axpy(float a, float[] w, float[] y, int n) {
    final int bound = F.loopBound(n);
    int q = 0;
    for (; q < bound; q += F.length()) {
      FloatVector.fromArray(F, y, q).add(FloatVector.fromArray(F, w, q).mul(a)).intoArray(y, q);
    }
    ScalarVec.axpy(a, w, y, q, n);
  }

  /** y[0..n) += x[0..n). */
  static void add(float[] x, float[] y, int n) {
    final int bound = F.loopBound(n);
    int q = 0;
    for (; q < bound; q += F.length()) {
      FloatVector.fromArray(F, y, q).add(FloatVector.fromArray(F, x, q)).intoArray(y, q);
    }
    ScalarVec.add(x, y, q, n);
  }

  /** As {@link ScalarVec#tanh}. */
  static void tanh(float[] src, float[] dst, int from, int to) {
    int q = from;
    for (; q + F.length() <= to; q += F.length()) {
      tanhLanes(FloatVector.fromArray(F, src, q)).intoArray(dst, q);
    }
    ScalarVec.tanh(src, dst, q, to);
  }

  /** As {@link ScalarVec#sigmoid}: ½ + ½·tanh(x/2). */
  static void sigmoid(float[] src, float[] dst, int from, int to) {
    int q = from;
    for (; q + F.length() <= to; q += F.length()) {
      tanhLanes(FloatVector.fromArray(F, src, q).mul(0.5f)).mul(0.5f).add(0.5f).intoArray(dst, q);
    }
    ScalarVec.sigmoid(src, dst, q, to);
  }

  /** The rational tanh of {@link ScalarVec#tanh}, lane-wise. */
  private static FloatVector tanhLanes(FloatVector in) {
    final FloatVector x = in.max(-CLAMP).min(CLAMP);
    final FloatVector x2 = x.mul(x);
    FloatVector p = x2.mul(A13).add(A11);
    p = x2.mul(p).add(A9);
    p = x2.mul(p).add(A7);
    p = x2.mul(p).add(A5);
    p = x2.mul(p).add(A3);
    p = x2.mul(p).add(A1);
    p = x.mul(p);
    FloatVector d = x2.mul(B6).add(B4);
    d = x2.mul(d).add(B2);
    d = x2.mul(d).add(B0);
    return p.div(d);
  }

  /** As {@link ScalarVec#expNegScaled(double[], double, double[], float[], int)}. */
  static void expNegScaled(double[] rate, double phi, double[] tmp, float[] dst, int n) {
    final int bound = D.loopBound(n);
    int q = 0;
    for (; q < bound; q += D.length()) {
      final DoubleVector y =
          DoubleVector.fromArray(D, rate, q).mul(-phi).max(-104.0).mul(1.0 / 256);
      DoubleVector p = y.mul(1.0 / 39916800).add(1.0 / 3628800);
      p = p.mul(y).add(1.0 / 362880);
      p = p.mul(y).add(1.0 / 40320);
      p = p.mul(y).add(1.0 / 5040);
      p = p.mul(y).add(1.0 / 720);
      p = p.mul(y).add(1.0 / 120);
      p = p.mul(y).add(1.0 / 24);
      p = p.mul(y).add(1.0 / 6);
      p = p.mul(y).add(0.5);
      p = p.mul(y).add(1.0);
      p = p.mul(y).add(1.0);
      for (int s = 0; s < 8; s++) {
        p = p.mul(p);
      }
      ((FloatVector) p.castShape(F_OF_D, 0)).intoArray(dst, q);
    }
    ScalarVec.expNegScaled(rate, phi, tmp, q, n);
    for (int i = q; i < n; i++) {
      dst[i] = (float) tmp[i];
    }
  }
}
