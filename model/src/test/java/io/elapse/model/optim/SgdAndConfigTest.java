package io.elapse.model.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SgdAndConfigTest {

  @Test
  void plainSgdSubtractsScaledGradient() {
    Optimizer sgd = OptimizerConfig.sgd(0.5, 0).create(2);
    float[] p = {1f, 2f};
    sgd.step(p, new float[] {2f, -4f});
    assertThat(p).containsExactly(0f, 4f);
  }

  @Test
  void momentumAccumulatesVelocity() {
    Optimizer sgd = OptimizerConfig.sgd(0.1, 0.5).create(1);
    float[] p = {0f};
    sgd.step(p, new float[] {1f}); // v = 1, p = -0.1
    sgd.step(p, new float[] {1f}); // v = 1.5, p = -0.25
    assertThat(p[0]).isCloseTo(-0.25f, org.assertj.core.data.Offset.offset(1e-7f));
  }

  @Test
  void momentumSnapshotRestoreIsBitExact() {
    Random rnd = new Random(4);
    OptimizerConfig cfg = OptimizerConfig.sgd(0.05, 0.9);
    Optimizer a = cfg.create(100);
    float[] p = AdamTest.randomVector(rnd, 100, 1);
    for (int s = 0; s < 10; s++) {
      a.step(p, AdamTest.randomVector(rnd, 100, 1));
    }
    byte[] snap = a.snapshot();
    float[] q = p.clone();
    float[][] g = new float[5][];
    for (int s = 0; s < 5; s++) {
      g[s] = AdamTest.randomVector(rnd, 100, 1);
      a.step(p, g[s]);
    }
    Optimizer b = cfg.create(100);
    b.restore(snap);
    for (float[] x : g) {
      b.step(q, x);
    }
    assertThat(AdamTest.bits(q)).isEqualTo(AdamTest.bits(p));
    assertThat(b.iteration()).isEqualTo(15);
  }

  @Test
  void rebuildsAnOptimizerFromItsSnapshotAlone() {
    Random rnd = new Random(8);
    for (String spec :
        new String[] {"adam:lr=0.003,beta2=0.99", "sgd:lr=0.1,momentum=0.5", "sgd"}) {
      Optimizer a = Optimizers.fromSpec(spec, 50);
      float[] p = AdamTest.randomVector(rnd, 50, 1);
      a.step(p, AdamTest.randomVector(rnd, 50, 1));
      Optimizer b = Optimizers.fromSnapshot(a.snapshot());
      assertThat(b.config()).isEqualTo(a.config());
      assertThat(b.size()).isEqualTo(50);
      assertThat(b.iteration()).isEqualTo(1);
      float[] q = p.clone();
      float[] g = AdamTest.randomVector(rnd, 50, 1);
      a.step(p, g);
      b.step(q, g);
      assertThat(AdamTest.bits(q)).isEqualTo(AdamTest.bits(p));
    }
    assertThatThrownBy(() -> Optimizers.fromSnapshot(new byte[10]))
        .hasMessageContaining("truncated");
  }

  @Test
  void parsesSpecs() {
    OptimizerConfig c = OptimizerConfig.parse("Adam:lr=0.002, beta2=0.99");
    assertThat(c.type()).isEqualTo(OptimizerConfig.Type.ADAM);
    assertThat(c.learningRate()).isEqualTo(0.002);
    assertThat(c.beta2()).isEqualTo(0.99);
    assertThat(c.beta1()).isEqualTo(0.9);
    assertThat(OptimizerConfig.parse("sgd:lr=0.1,momentum=0.9"))
        .isEqualTo(OptimizerConfig.sgd(0.1, 0.9));
    assertThat(OptimizerConfig.parse("adam")).isEqualTo(OptimizerConfig.adam(1e-3));
    assertThat(OptimizerConfig.sgd(0.1, 0.9).properties())
        .containsEntry("optimizer", "sgd")
        .containsEntry("momentum", "0.9");
  }

  @Test
  void rejectsBadConfigurationNamingTheValue() {
    assertThatThrownBy(() -> OptimizerConfig.adam(-1))
        .hasMessageContaining("learningRate > 0, got -1.0");
    assertThatThrownBy(() -> OptimizerConfig.builder(OptimizerConfig.Type.ADAM).beta1(1.0).build())
        .hasMessageContaining("beta1 in [0,1), got 1.0");
    assertThatThrownBy(() -> OptimizerConfig.parse("rmsprop")).hasMessageContaining("'rmsprop'");
    assertThatThrownBy(() -> OptimizerConfig.parse("adam:lr=x")).hasMessageContaining("'x'");
    assertThatThrownBy(() -> OptimizerConfig.parse("adam:foo=1")).hasMessageContaining("'foo'");
    assertThatThrownBy(() -> new Sgd(OptimizerConfig.adam(0.1), 3))
        .hasMessageContaining("got ADAM");
    Optimizer sgd = OptimizerConfig.sgd(0.1, 0).create(3);
    assertThatThrownBy(() -> sgd.restore(OptimizerConfig.adam(0.1).create(3).snapshot()))
        .hasMessageContaining("expected a SGD snapshot");
  }
}
