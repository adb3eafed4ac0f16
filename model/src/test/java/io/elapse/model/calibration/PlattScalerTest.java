package io.elapse.model.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PlattScalerTest {

  private static final int WARM_UP = 20_000;
  private static final int EVALUATED = 50_000;

  /** ECE with 15 equal-width bins, by explicit binning. */
  static double ece(double[] p, double[] y) {
    double[] sumP = new double[15];
    double[] sumY = new double[15];
    for (int i = 0; i < p.length; i++) {
      int b = Math.min((int) (p[i] * 15), 14);
      sumP[b] += p[i];
      sumY[b] += y[i];
    }
    double e = 0;
    for (int b = 0; b < 15; b++) {
      e += Math.abs(sumP[b] - sumY[b]);
    }
    return e / p.length;
  }

  static double sigmoid(double x) {
    return 1.0 / (1.0 + Math.exp(-x));
  }

  /** Result of a synthetic run: raw and calibrated ECE after warm-up, final a and b. */
  record Run(double rawEce, double calibratedEce, double a, double b) {}

  static Run run(double slope, double offset, long seed) {
    return run(0.0, slope, offset, seed);
  }

  static Run run(double mean, double slope, double offset, long seed) {
    Random rnd = new Random(seed);
    PlattScaler scaler = new PlattScaler(1);
    double[] raw = new double[EVALUATED];
    double[] cal = new double[EVALUATED];
    double[] ys = new double[EVALUATED];
    for (int i = 0; i < WARM_UP + EVALUATED; i++) {
      double zTrue = mean + 1.5 * rnd.nextGaussian();
      double y = rnd.nextDouble() < sigmoid(zTrue) ? 1.0 : 0.0;
      double z = slope * zTrue + offset;
      if (i >= WARM_UP) {
        int j = i - WARM_UP;
        raw[j] = sigmoid(z);
        cal[j] = scaler.probability(0, z); // prequential: predict, then learn
        ys[j] = y;
      }
      scaler.update(0, z, y, 1.0);
    }
    return new Run(ece(raw, ys), ece(cal, ys), scaler.scale(0), scaler.bias(0));
  }

  @Test
  void misScaledModelIsCalibratedAfterWarmUp() {
    Run r = run(2.5, 1.0, 7L);
    System.out.println("mis-scaled: " + r);
    assertThat(r.rawEce()).isGreaterThan(0.05);
    assertThat(r.calibratedEce()).isLessThanOrEqualTo(0.02);
    // z = 2.5 z_true + 1, so the true map is z_true = 0.4 z - 0.4.
    assertThat(r.a()).isCloseTo(0.4, within(0.05));
    assertThat(r.b()).isCloseTo(-0.4, within(0.08));
  }

  @Test
  void rareTaskIsCalibratedToo() {
    // about 10% positives
    Run r = run(-3.0, 2.5, 1.0, 19L);
    System.out.println("rare: " + r);
    assertThat(r.rawEce()).isGreaterThan(0.05);
    assertThat(r.calibratedEce()).isLessThanOrEqualTo(0.02);
  }

  @Test
  void wellScaledModelStaysCalibrated() {
    Run r = run(1.0, 0.0, 11L);
    System.out.println("well-scaled: " + r);
    assertThat(r.calibratedEce()).isLessThanOrEqualTo(0.02);
    assertThat(r.a()).isCloseTo(1.0, within(0.1));
    assertThat(r.b()).isCloseTo(0.0, within(0.1));
  }

  @Test
  void followsAChangeInTheModelsScale() {
    Random rnd = new Random(13);
    PlattScaler scaler = new PlattScaler(1);
    int before = 30_000;
    int after = 60_000;
    double[] cal = new double[20_000];
    double[] ys = new double[cal.length];
    for (int i = 0; i < before + after; i++) {
      double zTrue = 1.5 * rnd.nextGaussian();
      double y = rnd.nextDouble() < sigmoid(zTrue) ? 1.0 : 0.0;
      double z = i < before ? 2.5 * zTrue + 1.0 : 0.5 * zTrue - 1.0;
      int j = i - (before + after - cal.length);
      if (j >= 0) {
        cal[j] = scaler.probability(0, z);
        ys[j] = y;
      }
      scaler.update(0, z, y, 1.0);
    }
    System.out.println(
        "after change: ece " + ece(cal, ys) + ", a " + scaler.scale(0) + ", b " + scaler.bias(0));
    assertThat(ece(cal, ys)).isLessThanOrEqualTo(0.02);
    assertThat(scaler.scale(0)).isCloseTo(2.0, within(0.1));
    assertThat(scaler.bias(0)).isCloseTo(2.0, within(0.1));
  }

  @Test
  void softTargetsAndWeightsFitTheSameMap() {
    Random rnd = new Random(21);
    PlattScaler scaler = new PlattScaler(1);
    for (int i = 0; i < 20_000; i++) {
      double zTrue = 1.5 * rnd.nextGaussian();
      // the expected outcome itself as a soft target, with varying weights
      scaler.update(0, 2.5 * zTrue + 1.0, sigmoid(zTrue), 0.5 + rnd.nextDouble());
    }
    assertThat(scaler.scale(0)).isCloseTo(0.4, within(0.01));
    assertThat(scaler.bias(0)).isCloseTo(-0.4, within(0.01));
  }

  @Test
  void tasksAreIndependentAndZeroWeightIsNoOp() {
    PlattScaler s = new PlattScaler(2);
    for (int i = 0; i < 100; i++) {
      s.update(0, 3.0, 0.0, 1.0);
      s.update(1, 3.0, 1.0, 0.0);
    }
    assertThat(s.probability(0, 3.0)).isLessThan(0.5);
    assertThat(s.count(1)).isZero();
    assertThat(s.probability(1, 3.0)).isEqualTo(PlattScaler.apply(1.0, 0.0, 3.0));
  }

  @Test
  void snapshotRestoresExactState() {
    PlattScaler s = new PlattScaler(3);
    Random rnd = new Random(3);
    for (int i = 0; i < 500; i++) {
      s.update(i % 3, 4 * rnd.nextGaussian(), rnd.nextInt(2), 0.5 + rnd.nextDouble());
    }
    PlattScaler copy = PlattScaler.fromSnapshot(s.snapshot());
    for (int i = 0; i < 200; i++) {
      double z = 4 * rnd.nextGaussian();
      double y = rnd.nextInt(2);
      s.update(i % 3, z, y, 1.0);
      copy.update(i % 3, z, y, 1.0);
    }
    for (int t = 0; t < 3; t++) {
      assertThat(copy.scale(t)).isEqualTo(s.scale(t));
      assertThat(copy.bias(t)).isEqualTo(s.bias(t));
      assertThat(copy.count(t)).isEqualTo(s.count(t));
    }
    assertThat(copy.snapshot()).isEqualTo(s.snapshot());
    PlattScaler fresh = new PlattScaler(3);
    fresh.restore(s.snapshot());
    assertThat(fresh.snapshot()).isEqualTo(s.snapshot());
    assertThatThrownBy(() -> new PlattScaler(2).restore(s.snapshot()))
        .hasMessageContaining("tasks=2")
        .hasMessageContaining("tasks=3");
  }

  @Test
  void rejectsBadInputWithValues() {
    PlattScaler s = new PlattScaler(2);
    assertThatThrownBy(() -> s.update(2, 0, 1, 1)).hasMessageContaining("got 2");
    assertThatThrownBy(() -> s.update(0, Double.NaN, 1, 1)).hasMessageContaining("NaN");
    assertThatThrownBy(() -> s.update(0, 0, 1.5, 1)).hasMessageContaining("got 1.5");
    assertThatThrownBy(() -> s.update(0, 0, 1, -1)).hasMessageContaining("got -1.0");
    byte[] snap = s.snapshot();
    byte[] cut = java.util.Arrays.copyOf(snap, snap.length - 3);
    assertThatThrownBy(() -> PlattScaler.fromSnapshot(cut)).hasMessageContaining("truncated");
  }

  @Test
  void extremeLogitsStayFinite() {
    PlattScaler s = new PlattScaler(1);
    for (int i = 0; i < 1000; i++) {
      s.update(0, i % 2 == 0 ? 1e6 : Double.NEGATIVE_INFINITY, i % 3 == 0 ? 1 : 0, 1.0);
    }
    assertThat(Double.isFinite(s.scale(0))).isTrue();
    assertThat(Double.isFinite(s.bias(0))).isTrue();
    assertThat(s.probability(0, Double.POSITIVE_INFINITY)).isBetween(0.0, 1.0);
  }
}
