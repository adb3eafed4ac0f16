package io.elapse.model.cell;

/**
 * The dense loops of the cell: {@link SimdVec} (JDK Vector API) when {@link Kernels#simd()}, else
 * {@link ScalarVec}. Both give the same bits; the branch is on a static final flag, so C2 folds it.
 */
final class Vec {
  private static final boolean SIMD = Kernels.simd();

  private Vec() {}

  /**
   * y[0..n) += Σ_{from≤j<to} v[j] · w[j][0..n): a matrix-vector product as axpy passes over rows,
   * four rows per pass (each row of w has at least n values).
   */
  static void gemv(float[] v, int from, int to, float[][] w, int n, float[] y) {
    if (SIMD) {
      SimdVec.gemv(v, from, to, w, n, y);
    } else {
      ScalarVec.gemv(v, from, to, w, n, y);
    }
  }

  /** y[0..n) += a · w[0..n). */
  static void axpy(float a, float[] w, float[] y, int n) {
    if (SIMD) {
      SimdVec.axpy(a, w, y, n);
    } else {
      ScalarVec.axpy(a, w, y, 0, n);
    }
  }

  /** y[0..n) += x[0..n). */
  static void add(float[] x, float[] y, int n) {
    if (SIMD) {
      SimdVec.add(x, y, n);
    } else {
      ScalarVec.add(x, y, 0, n);
    }
  }

  /** dst[q] = tanh(src[q]) for q in [from, to) (rational approximation, |error| ≤ 4e-7). */
  static void tanh(float[] src, float[] dst, int from, int to) {
    if (SIMD) {
      SimdVec.tanh(src, dst, from, to);
    } else {
      ScalarVec.tanh(src, dst, from, to);
    }
  }

  /** dst[q] = σ(src[q]) for q in [from, to) (|error| ≤ 2e-7). */
  static void sigmoid(float[] src, float[] dst, int from, int to) {
    if (SIMD) {
      SimdVec.sigmoid(src, dst, from, to);
    } else {
      ScalarVec.sigmoid(src, dst, from, to);
    }
  }

  /** dst[q] = exp(−rate[q] · phi) for q in [0, n); {@code tmp} (n doubles) is scratch. */
  static void expNegScaled(double[] rate, double phi, double[] tmp, float[] dst, int n) {
    if (SIMD) {
      SimdVec.expNegScaled(rate, phi, tmp, dst, n);
    } else {
      ScalarVec.expNegScaled(rate, phi, tmp, dst, n);
    }
  }
}
