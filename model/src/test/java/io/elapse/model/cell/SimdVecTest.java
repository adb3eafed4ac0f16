package io.elapse.model.cell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Vector API loops give the scalar loops' bits, at every length, and are the ones in use. */
class SimdVecTest {
  private static final int[] LENGTHS = {1, 3, 7, 8, 15, 16, 17, 30, 31, 32, 33, 64, 96, 100, 256};

  private static float[] random(SplittableRandom r, int n, double scale) {
    float[] a = new float[n];
    for (int q = 0; q < n; q++) {
      a[q] = (float) ((r.nextDouble() * 2 - 1) * scale);
    }
    return a;
  }

  @Test
  void theBuildsTestJvmsRunTheVectorApiPath() {
    assertThat(Kernels.simd()).as(Kernels.description()).isTrue();
    assertThat(Kernels.description())
        .isEqualTo("JDK Vector API, " + SimdVec.floatLanes() + " float lanes");
  }

  @Test
  void settingChoosesTheScalarPathOrIsRejected() {
    assertThat(Kernels.choose("scalar").simd()).isFalse();
    assertThat(Kernels.choose(" Auto ").simd()).isTrue();
    assertThatThrownBy(() -> Kernels.choose("fast"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("elapse.kernels")
        .hasMessageContaining("'fast'");
  }

  @Test
  void gemvAxpyAndAddMatchTheScalarLoopsBitForBit() {
    SplittableRandom r = new SplittableRandom(3);
    for (int n : LENGTHS) {
      for (int rows : new int[] {1, 4, 6, 64}) {
        float[][] w = new float[rows][];
        for (int j = 0; j < rows; j++) {
          w[j] = random(r, n, 1);
        }
        float[] v = random(r, rows, 2);
        float[] y0 = random(r, n, 1);
        float[] scalar = y0.clone();
        float[] simd = y0.clone();
        ScalarVec.gemv(v, 0, rows, w, n, scalar);
        SimdVec.gemv(v, 0, rows, w, n, simd);
        assertThat(simd).as("gemv n=%d rows=%d", n, rows).containsExactly(scalar);
      }
      float[] x = random(r, n, 1);
      float[] scalar = random(r, n, 1);
      float[] simd = scalar.clone();
      ScalarVec.add(x, scalar, 0, n);
      SimdVec.add(x, simd, n);
      assertThat(simd).as("add n=%d", n).containsExactly(scalar);
    }
  }

  @Test
  void tanhAndSigmoidMatchTheScalarLoopsBitForBitOnEveryRangeAndBeyondTheClamp() {
    SplittableRandom r = new SplittableRandom(5);
    for (int n : LENGTHS) {
      float[] src = random(r, n, 12);
      src[0] = n % 2 == 0 ? 0f : -0f;
      for (int from : new int[] {0, n / 2}) {
        float[] scalar = new float[n];
        float[] simd = new float[n];
        ScalarVec.tanh(src, scalar, from, n);
        SimdVec.tanh(src, simd, from, n);
        assertThat(simd).as("tanh n=%d from=%d", n, from).containsExactly(scalar);
        ScalarVec.sigmoid(src, scalar, from, n);
        SimdVec.sigmoid(src, simd, from, n);
        assertThat(simd).as("sigmoid n=%d from=%d", n, from).containsExactly(scalar);
      }
    }
  }

  @Test
  void decayMatchesTheScalarLoopBitForBitIncludingUnderflow() {
    SplittableRandom r = new SplittableRandom(7);
    for (int n : LENGTHS) {
      double[] rate = new double[n];
      for (int q = 0; q < n; q++) {
        rate[q] = r.nextDouble() * 3;
      }
      for (double phi : new double[] {0, 0.3, 5, 80}) {
        float[] scalar = new float[n];
        float[] simd = new float[n];
        ScalarVec.expNegScaled(rate, phi, new double[n], scalar, n);
        SimdVec.expNegScaled(rate, phi, new double[n], simd, n);
        assertThat(simd).as("decay n=%d phi=%s", n, phi).containsExactly(scalar);
      }
    }
  }
}
