package io.elapse.model.cell;

/**
 * The dense loops of the cell in plain Java, written so HotSpot C2 (JDK 17, no flags)
 * auto-vectorizes them: the portable path of {@link Vec}, and the scalar tails of {@link SimdVec}.
 *
 * <p>Rules every loop here follows, found by measurement on JDK 17 (see BENCHMARKS.md): the
 * innermost loop is an element-wise update ("axpy" shape, no reduction: C2 does not reorder float
 * sums), and every array in it is indexed by the loop variable itself, with no offset. C2's
 * SuperWord refuses to pack float accesses whose alignment relative to each other is unknown (an
 * offset held in a variable, e.g. {@code y[q] += a * w[off + q]}), because two {@code float[]}
 * references might be the same array; such loops ran about 5× slower. Hence the compute layout of
 * {@link TimeAwareLstmCell}: one {@code float[]} per weight row.
 */
final class ScalarVec {
  private ScalarVec() {}

  /**
   * y[0..n) += Σ_{from≤j<to} v[j] · w[j][0..n): a matrix-vector product as axpy passes over rows,
   * four rows per pass (each row of w has at least n values).
   */
  static void gemv(float[] v, int from, int to, float[][] w, int n, float[] y) {
    int j = from;
    for (; j + 4 <= to; j += 4) {
      axpy4(v, w, j, y, 0, n);
    }
    for (; j < to; j++) {
      axpy(v[j], w[j], y, 0, n);
    }
  }

  /**
   * y[from..to) += v[j]·w[j] + v[j+1]·w[j+1] + v[j+2]·w[j+2] + v[j+3]·w[j+3] (summed in that
   * order): one pass of {@link #gemv} over four rows.
   */
  static void axpy4(float[] v, float[][] w, int j, float[] y, int from, int to) {
    final float a0 = v[j];
    final float a1 = v[j + 1];
    final float a2 = v[j + 2];
    final float a3 = v[j + 3];
    final float[] w0 = w[j];
    final float[] w1 = w[j + 1];
    final float[] w2 = w[j + 2];
    final float[] w3 = w[j + 3];
    for (int q = from; q < to; q++) {
      y[q] += a0 * w0[q] + a1 * w1[q] + a2 * w2[q] + a3 * w3[q];
    }
  }

  /** y[from..to) += a · w[from..to). */
  static void axpy(float a, float[] w, float[] y, int from, int to) {
    for (int q = from; q < to; q++) {
      y[q] += a * w[q];
    }
  }

  /** y[from..to) += x[from..to). */
  static void add(float[] x, float[] y, int from, int to) {
    for (int q = from; q < to; q++) {
      y[q] += x[q];
    }
  }

  // tanh(x) ≈ p(x)/q(x) on x clamped to ±7.90531110763549805, with p odd of degree 13 and q even
  // of degree 6: the rational approximation of Eigen's generic_fast_tanh_float
  // (Eigen/src/Core/arch/Default/GenericPacketMathFunctions.h, also XLA's EmitFastTanh). Measured
  // here against Math.tanh on a 2·10⁶-point grid over [−20, 20]: max |error| 3.7e-7 (a few float
  // ulps); it uses only +, ×, ÷, min and max, so C2 vectorizes it.
  static final float CLAMP = 7.90531110763549805f;
  static final float A1 = 4.89352455891786e-03f;
  static final float A3 = 6.37261928875436e-04f;
  static final float A5 = 1.48572235717979e-05f;
  static final float A7 = 5.12229709037114e-08f;
  static final float A9 = -8.60467152213735e-11f;
  static final float A11 = 2.00018790482477e-13f;
  static final float A13 = -2.76076847742355e-16f;
  static final float B0 = 4.89352518554385e-03f;
  static final float B2 = 2.26843463243900e-03f;
  static final float B4 = 1.18534705686654e-04f;
  static final float B6 = 1.19825839466702e-06f;

  /** dst[q] = tanh(src[q]) for q in [from, to) (rational approximation, |error| ≤ 4e-7). */
  static void tanh(float[] src, float[] dst, int from, int to) {
    for (int q = from; q < to; q++) {
      dst[q] = rationalTanh(src[q]);
    }
  }

  /** The rational tanh of {@link #tanh} for one value (C2 inlines it into the loops). */
  private static float rationalTanh(float in) {
    final float x = Math.max(-CLAMP, Math.min(CLAMP, in));
    final float x2 = x * x;
    float p = x2 * A13 + A11;
    p = x2 * p + A9;
    p = x2 * p + A7;
    p = x2 * p + A5;
    p = x2 * p + A3;
    p = x2 * p + A1;
    p = x * p;
    float d = x2 * B6 + B4;
    d = x2 * d + B2;
    d = x2 * d + B0;
    return p / d;
  }

  /**
   * dst[q] = σ(src[q]) = ½ + ½·tanh(src[q]/2) for q in [from, to) (|error| ≤ 2e-7, measured as for
   * {@link #tanh}).
   */
  static void sigmoid(float[] src, float[] dst, int from, int to) {
    for (int q = from; q < to; q++) {
      dst[q] = 0.5f + 0.5f * rationalTanh(0.5f * src[q]);
    }
  }

  /**
   * dst[q] = exp(−rate[q] · phi) for q in [0, n), rate ≥ 0, phi ≥ 0, in double precision: the
   * argument y (clamped to ≥ −104, where the float result underflows to 0) is scaled by 2⁻⁸, exp of
   * the scaled value by its degree-11 Taylor polynomial (remainder below 5e-14 relative for |y/256|
   * ≤ 0.41), then squared 8 times (relative error ≤ 256 × that, far below a float ulp), so the
   * float result is Math.exp's rounded value except at rare rounding ties. All double arithmetic,
   * so C2 vectorizes it; {@code tmp} (n doubles) holds the intermediate.
   */
  static void expNegScaled(double[] rate, double phi, double[] tmp, float[] dst, int n) {
    expNegScaled(rate, phi, tmp, 0, n);
    for (int q = 0; q < n; q++) {
      dst[q] = (float) tmp[q];
    }
  }

  /** tmp[q] = exp(−rate[q] · phi) for q in [from, to), as {@link #expNegScaled} before rounding. */
  static void expNegScaled(double[] rate, double phi, double[] tmp, int from, int to) {
    for (int q = from; q < to; q++) {
      final double y = Math.max(-104.0, -rate[q] * phi) * (1.0 / 256);
      double p = 1.0 / 39916800;
      p = p * y + 1.0 / 3628800;
      p = p * y + 1.0 / 362880;
      p = p * y + 1.0 / 40320;
      p = p * y + 1.0 / 5040;
      p = p * y + 1.0 / 720;
      p = p * y + 1.0 / 120;
      p = p * y + 1.0 / 24;
      p = p * y + 1.0 / 6;
      p = p * y + 0.5;
      p = p * y + 1.0;
      p = p * y + 1.0;
      p *= p;
      p *= p;
      p *= p;
      p *= p;
      p *= p;
      p *= p;
      p *= p;
      p *= p;
      tmp[q] = p;
    }
  }
}
