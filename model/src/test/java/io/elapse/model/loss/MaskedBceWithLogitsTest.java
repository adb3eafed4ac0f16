package io.elapse.model.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.elapse.model.config.LossConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MaskedBceWithLogitsTest {
  private static final float NAN = Float.NaN;

  /** −[p·y·log σ(z) + (1−y)·log(1−σ(z))], the textbook form, in double. */
  private static double naive(double z, double y, double pw) {
    double s = 1 / (1 + Math.exp(-z));
    return -(pw * y * Math.log(s) + (1 - y) * Math.log(1 - s));
  }

  @Test
  void matchesTheTextbookFormulaWithAllWeights() {
    LossConfig cfg = new LossConfig(new float[] {2f, 1f, 0.5f}, new float[] {1f, 3f, 0.25f}, 0, 0);
    float[] z = {0.3f, -1.7f, 2.2f};
    float[] y = {1f, 0.25f, 0f};
    LossResult r = MaskedBceWithLogits.compute(z, y, 1.5f, cfg);
    double expected =
        1.5 * (1 * naive(0.3, 1, 2) + 3 * naive(-1.7, 0.25, 1) + 0.25 * naive(2.2, 0, 0.5)) / 3;
    assertThat(r.loss()).isCloseTo(expected, offset(1e-6));
    assertThat(r.labelsPresent()).isEqualTo(3);
    // gradient against a central difference of the textbook form
    double[] w = {1, 3, 0.25};
    double[] pw = {2, 1, 0.5};
    for (int k = 0; k < 3; k++) {
      double eps = 1e-6;
      double num =
          1.5
              * w[k]
              * (naive(z[k] + eps, y[k], pw[k]) - naive(z[k] - eps, y[k], pw[k]))
              / (2 * eps)
              / 3;
      assertThat((double) r.dLogits()[k]).isCloseTo(num, offset(1e-5));
    }
  }

  @Test
  void maskedLossEqualsUnmaskedLossRestrictedToPresentLabels() {
    SplittableRandom rnd = new SplittableRandom(1);
    LossConfig full =
        new LossConfig(new float[] {3f, 1f, 2f, 0.5f, 1f}, new float[] {1, 2, 1, 1, 0.5f}, 0, 0);
    for (int trial = 0; trial < 50; trial++) {
      float[] z = new float[5];
      float[] y = new float[5];
      for (int k = 0; k < 5; k++) {
        z[k] = (float) (rnd.nextGaussian() * 4);
        y[k] = rnd.nextBoolean() ? NAN : (float) rnd.nextDouble();
      }
      y[trial % 5] = 1f; // at least one present
      // the restricted problem: only the present tasks, no mask
      int n = MaskedBceWithLogits.countPresent(y);
      float[] zr = new float[n];
      float[] yr = new float[n];
      float[] pwr = new float[n];
      float[] twr = new float[n];
      int[] map = new int[n];
      int q = 0;
      for (int k = 0; k < 5; k++) {
        if (!Float.isNaN(y[k])) {
          zr[q] = z[k];
          yr[q] = y[k];
          pwr[q] = full.posWeightAt(k);
          twr[q] = full.taskWeightAt(k);
          map[q++] = k;
        }
      }
      LossResult masked = MaskedBceWithLogits.compute(z, y, 0.7f, full);
      LossResult restricted =
          MaskedBceWithLogits.compute(zr, yr, 0.7f, new LossConfig(pwr, twr, 0, 0));
      assertThat(masked.loss()).isEqualTo(restricted.loss());
      assertThat(masked.labelsPresent()).isEqualTo(n);
      for (int i = 0; i < n; i++) {
        assertThat(masked.dLogits()[map[i]]).isEqualTo(restricted.dLogits()[i]);
      }
      for (int k = 0; k < 5; k++) {
        if (Float.isNaN(y[k])) {
          assertThat(masked.dLogits()[k]).isZero();
        }
      }
    }
  }

  @Test
  void allMissingGivesExactlyZeroLossAndGradient() {
    LossConfig cfg = LossConfig.uniform(3);
    LossResult r =
        MaskedBceWithLogits.compute(
            new float[] {100f, -100f, 0f}, new float[] {NAN, NAN, NAN}, 1f, cfg);
    assertThat(r.loss()).isEqualTo(0.0);
    assertThat(r.labelsPresent()).isZero();
    assertThat(r.dLogits()).containsExactly(0f, 0f, 0f);
  }

  @Test
  void exactAndFiniteForLogitsUpToHundred() {
    LossConfig cfg = new LossConfig(new float[] {4f, 4f, 1f, 1f}, new float[] {1, 1, 1, 1}, 0, 0);
    float[] z = {-100f, 100f, 100f, -100f};
    float[] y = {1f, 1f, 0f, 0f};
    LossResult r = MaskedBceWithLogits.compute(z, y, 1f, cfg);
    // confident wrong: 4·100 and 100; confident right: 4·log1p(e^-100) ≈ 4·3.7e-44 and ≈ 3.7e-44
    assertThat(r.loss()).isCloseTo((400.0 + 100.0) / 4, offset(1e-9));
    assertThat(r.dLogits()[0]).isCloseTo(-4f / 4, offset(1e-7f)); // not clipped to 0
    assertThat(r.dLogits()[1]).isCloseTo(0f, offset(1e-7f));
    assertThat(r.dLogits()[2]).isCloseTo(1f / 4, offset(1e-7f));
    assertThat(r.dLogits()[3]).isCloseTo(0f, offset(1e-7f));
  }

  @Test
  void sampleWeightZeroGivesZeroButCountsLabels() {
    LossResult r =
        MaskedBceWithLogits.compute(new float[] {1f}, new float[] {1f}, 0f, LossConfig.uniform(1));
    assertThat(r.loss()).isZero();
    assertThat(r.labelsPresent()).isEqualTo(1);
    assertThat(r.dLogits()[0]).isZero();
  }

  @Test
  void rejectsTargetsOutsideUnitIntervalAndLengthMismatch() {
    LossConfig cfg = LossConfig.uniform(2);
    assertThatThrownBy(
            () -> MaskedBceWithLogits.compute(new float[] {0, 0}, new float[] {1.5f, 0}, 1f, cfg))
        .hasMessageContaining("expected target in [0, 1]")
        .hasMessageContaining("1.5");
    assertThatThrownBy(() -> MaskedBceWithLogits.compute(new float[] {0}, new float[] {1}, 1f, cfg))
        .hasMessageContaining("expected 2");
  }
}
