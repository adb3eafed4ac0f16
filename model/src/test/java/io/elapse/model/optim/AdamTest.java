package io.elapse.model.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;

class AdamTest {

  static float[] randomVector(Random rnd, int n, double scale) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (scale * rnd.nextGaussian());
    }
    return x;
  }

  static int[] bits(float[] x) {
    int[] b = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      b[i] = Float.floatToRawIntBits(x[i]);
    }
    return b;
  }

  /**
   * Parity with ND4J's Adam updater over 50 steps: ND4J writes the step into the gradient array,
   * which is then subtracted from the parameters. Tolerance 2e-6 absolute on parameters of size ~1
   * (float32 rounding of the same formula, evaluated in a different order natively).
   */
  @Test
  void matchesNd4jAdamOverSeveralSteps() {
    int n = 2000;
    int steps = 50;
    double lr = 0.01;
    Random rnd = new Random(42);
    float[] ours = randomVector(rnd, n, 1.0);
    INDArray theirs = Nd4j.create(ours.clone(), new long[] {1, n}, 'c');
    INDArray view = Nd4j.zeros(DataType.FLOAT, 1, 2L * n);
    GradientUpdater<?> updater =
        new org.nd4j.linalg.learning.config.Adam(lr, 0.9, 0.999, 1e-8).instantiate(view, true);
    Optimizer adam = OptimizerConfig.adam(lr).create(n);
    double maxDiff = 0;
    for (int s = 0; s < steps; s++) {
      // gradients of varying scale, including exact zeros
      float[] g = randomVector(rnd, n, s % 7 == 0 ? 10.0 : 0.1);
      g[s] = 0f;
      INDArray grad = Nd4j.create(g.clone(), new long[] {1, n}, 'c');
      updater.applyUpdater(grad, s, 0);
      theirs.subi(grad);
      adam.step(ours, g);
      float[] t = theirs.toFloatVector();
      for (int i = 0; i < n; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(t[i] - ours[i]));
      }
    }
    System.out.println("max |ours - nd4j| after " + steps + " Adam steps: " + maxDiff);
    assertThat(maxDiff).isLessThan(2e-6);
    assertThat(adam.iteration()).isEqualTo(steps);
    // the parameters actually moved (the comparison is not vacuous)
    float[] start = randomVector(new Random(42), n, 1.0);
    assertThat(Math.abs(ours[7] - start[7])).isGreaterThan(0.01f);
  }

  @Test
  void firstStepIsLearningRateTimesSign() {
    Optimizer adam = OptimizerConfig.adam(0.1).create(3);
    float[] p = {1f, 1f, 1f};
    adam.step(p, new float[] {2f, -0.5f, 0f});
    // m̂ = g, v̂ = g², so the step is lr·g/(|g| + ε') ≈ lr·sign(g)
    assertThat(p[0]).isCloseTo(0.9f, org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(p[1]).isCloseTo(1.1f, org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(p[2]).isEqualTo(1f);
  }

  @Test
  void snapshotRestoreIsBitExact() {
    int n = 513;
    Random rnd = new Random(9);
    OptimizerConfig cfg =
        OptimizerConfig.builder(OptimizerConfig.Type.ADAM).learningRate(0.003).beta2(0.99).build();
    Optimizer a = cfg.create(n);
    float[] p = randomVector(rnd, n, 1);
    for (int s = 0; s < 17; s++) {
      a.step(p, randomVector(rnd, n, 0.5));
    }
    byte[] snap = a.snapshot();
    float[] pAtSnap = p.clone();
    float[][] grads = new float[9][];
    for (int s = 0; s < grads.length; s++) {
      grads[s] = randomVector(rnd, n, 0.5);
      a.step(p, grads[s]);
    }
    Optimizer b = cfg.create(n);
    b.restore(snap);
    assertThat(b.iteration()).isEqualTo(17);
    float[] q = pAtSnap.clone();
    for (float[] g : grads) {
      b.step(q, g);
    }
    assertThat(bits(q)).isEqualTo(bits(p));
    assertThat(b.snapshot()).isEqualTo(a.snapshot());
  }

  @Test
  void sparseStepOverAllIndicesEqualsDenseAndLeavesOthersAlone() {
    int n = 64;
    Random rnd = new Random(1);
    float[] p1 = randomVector(rnd, n, 1);
    float[] p2 = p1.clone();
    Optimizer dense = OptimizerConfig.adam(0.01).create(n);
    Optimizer sparse = OptimizerConfig.adam(0.01).create(n);
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    for (int s = 0; s < 5; s++) {
      float[] g = randomVector(rnd, n, 1);
      dense.step(p1, g);
      sparse.stepSparse(p2, all, g.clone());
    }
    assertThat(bits(p2)).isEqualTo(bits(p1));
    float[] before = p2.clone();
    sparse.stepSparse(p2, new int[] {3, 10}, new float[] {1f, -1f});
    for (int i = 0; i < n; i++) {
      if (i == 3 || i == 10) {
        assertThat(p2[i]).isNotEqualTo(before[i]);
      } else {
        assertThat(p2[i]).isEqualTo(before[i]);
      }
    }
  }

  @Test
  void failsFastWithBothNumbers() {
    Optimizer adam = OptimizerConfig.adam(0.01).create(4);
    assertThatThrownBy(() -> adam.step(new float[4], new float[3]))
        .hasMessageContaining("expected a gradient of 4 values")
        .hasMessageContaining("got 3");
    assertThatThrownBy(() -> adam.step(new float[5], new float[5]))
        .hasMessageContaining("expected 4 parameters, got 5");
    assertThatThrownBy(() -> adam.stepSparse(new float[4], new int[] {4}, new float[] {1}))
        .hasMessageContaining("got 4");
    Optimizer other = OptimizerConfig.adam(0.02).create(4);
    assertThatThrownBy(() -> adam.restore(other.snapshot()))
        .hasMessageContaining("learningRate=0.02");
    Optimizer bigger = OptimizerConfig.adam(0.01).create(5);
    assertThatThrownBy(() -> adam.restore(bigger.snapshot()))
        .hasMessageContaining("expected parameter count 4, got 5");
    byte[] snap = adam.snapshot();
    assertThatThrownBy(() -> adam.restore(java.util.Arrays.copyOf(snap, snap.length - 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toStringShowsHyperparameters() {
    assertThat(OptimizerConfig.adam(0.01).create(2).toString())
        .contains("lr=0.01", "beta1=0.9", "beta2=0.999", "epsilon=1.0E-8");
  }
}
