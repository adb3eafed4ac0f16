package io.elapse.model.cell;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Accuracy of the vectorizable activations against {@link Math} on dense grids, and the vector
 * loops against plain scalar loops.
 */
class VecTest {

  @Test
  void tanhAndSigmoidAreWithinTheirStatedErrorEverywhere() {
    int n = 400_001;
    float[] x = new float[n];
    for (int q = 0; q < n; q++) {
      x[q] = -30f + 60f * q / (n - 1);
    }
    float[] t = new float[n];
    float[] s = new float[n];
    Vec.tanh(x, t, 0, n);
    Vec.sigmoid(x, s, 0, n);
    double maxT = 0;
    double maxS = 0;
    for (int q = 0; q < n; q++) {
      maxT = Math.max(maxT, Math.abs(t[q] - Math.tanh(x[q])));
      maxS = Math.max(maxS, Math.abs(s[q] - 1 / (1 + Math.exp(-x[q]))));
      assertThat(Math.abs(t[q])).as("|tanh| at %s", x[q]).isLessThanOrEqualTo(1f);
      assertThat(s[q]).as("sigmoid at %s", x[q]).isBetween(0f, 1f);
    }
    assertThat(maxT).isLessThanOrEqualTo(4e-7);
    assertThat(maxS).isLessThanOrEqualTo(2.5e-7);
    // odd symmetry and exact zero
    float[] z = {0f, 1e-30f, -1e-30f};
    float[] out = new float[3];
    Vec.tanh(z, out, 0, 3);
    assertThat(out[0]).isZero();
    assertThat(out[1]).isEqualTo(-out[2]);
  }

  @Test
  void decayExpMatchesMathExpToAFloatUlp() {
    int n = 200_001;
    double[] rate = new double[n];
    for (int q = 0; q < n; q++) {
      rate[q] = 120.0 * q / (n - 1);
    }
    float[] d = new float[n];
    Vec.expNegScaled(rate, 1.0, new double[n], d, n);
    for (int q = 0; q < n; q++) {
      float ref = (float) Math.exp(-rate[q]);
      assertThat(Math.abs(d[q] - ref)).as("exp(-%s)", rate[q]).isLessThanOrEqualTo(Math.ulp(ref));
    }
    assertThat(d[0]).isEqualTo(1f);
  }

  @Test
  void gemvOverARowRangeEqualsTheScalarDefinition() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    for (int rows : new int[] {1, 3, 4, 7, 33}) {
      for (int n : new int[] {1, 5, 30, 64, 97}) {
        float[][] w = new float[rows][n];
        float[] v = new float[rows];
        for (int j = 0; j < rows; j++) {
          v[j] = (float) r.nextGaussian();
          for (int q = 0; q < n; q++) {
            w[j][q] = (float) r.nextGaussian();
          }
        }
        int from = rows / 3;
        float[] y = new float[n];
        Vec.gemv(v, from, rows, w, n, y);
        for (int q = 0; q < n; q++) {
          double ref = 0;
          for (int j = from; j < rows; j++) {
            ref += (double) v[j] * w[j][q];
          }
          assertThat(Math.abs(y[q] - ref)).isLessThanOrEqualTo(1e-5 * (1 + Math.abs(ref)));
        }
      }
    }
  }
}
