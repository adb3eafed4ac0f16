package io.elapse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elapse.model.config.ModelConfig;
import io.elapse.model.config.TimeModulation;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EntityStateTest {
  static ModelConfig config(TimeModulation mod) {
    return ModelConfig.builder()
        .modulation(mod)
        .hiddenSize(6)
        .embeddingDim(3)
        .vocabularyBuckets(11)
        .numFeatures(1)
        .numTasks(3)
        .windowSize(4)
        .build();
  }

  @ParameterizedTest
  @EnumSource(TimeModulation.class)
  void ringKeepsLastWindowAndStartStateReplaysToCurrentState(TimeModulation mod) {
    ModelConfig cfg = config(mod);
    LstmModel m = LstmModel.of(cfg, LstmModel.initialParameters(cfg, 2));
    EntityState s = EntityState.initial(cfg);
    assertThat(s.inWindow(0)).isFalse();
    SplittableRandom r = new SplittableRandom(4);
    for (int t = 0; t < 10; t++) {
      StepResult res =
          s.step(
              m,
              m.input(
                  "e" + r.nextInt(5),
                  new float[] {(float) r.nextGaussian()},
                  t == 0 ? null : (long) r.nextInt(100_000)));
      assertThat(res.sequence()).isEqualTo(t);
      assertThat(res.logits()).hasSize(3);
      assertThat(res.logits()).containsExactly(m.logits(s.hidden()));
    }
    assertThat(s.eventCount()).isEqualTo(10);
    assertThat(s.windowLength()).isEqualTo(4);
    assertThat(s.sequenceOfOldest()).isEqualTo(6);
    assertThat(s.inWindow(5)).isFalse();
    assertThat(s.inWindow(6)).isTrue();
    assertThat(s.inWindow(9)).isTrue();
    assertThat(s.inWindow(10)).isFalse();
    // replay the ring from its start state with the same model: same h and c (bit-exact)
    EntityState replay = s.copy();
    float[] h = s.startHidden();
    float[] c = s.startCell();
    io.elapse.model.cell.StepCache cache = new io.elapse.model.cell.StepCache(cfg);
    for (int p = 0; p < s.windowLength(); p++) {
      m.cell().forward(s.eventAtPosition(p), h, c, cache);
      h = cache.h().clone();
      c = cache.c().clone();
    }
    assertThat(h).containsExactly(s.hidden());
    assertThat(c).containsExactly(s.cell());
    assertThat(replay.encode()).containsExactly(s.encode());
  }

  @ParameterizedTest
  @EnumSource(TimeModulation.class)
  void encodeDecodeRoundTripsAndContinuesIdentically(TimeModulation mod) {
    ModelConfig cfg = config(mod);
    LstmModel m = LstmModel.of(cfg, LstmModel.initialParameters(cfg, 2));
    EntityState a = EntityState.initial(cfg);
    for (int t = 0; t < 6; t++) {
      a.step(m, m.input("e" + t % 3, new float[] {t}, t == 0 ? null : 1000L * t));
    }
    byte[] bytes = a.encode();
    EntityState b = EntityState.decode(cfg, bytes);
    assertThat(b.encode()).containsExactly(bytes);
    assertThat(b.eventCount()).isEqualTo(6);
    EventInput next = m.input("e1", new float[] {0.5f}, 30_000L);
    assertThat(b.step(m, next).logits()).containsExactly(a.step(m, next).logits());
    assertThat(b.encode()).containsExactly(a.encode());
  }

  @ParameterizedTest
  @EnumSource(TimeModulation.class)
  void decodeRejectsOtherSizesAndVersions(TimeModulation mod) {
    ModelConfig cfg = config(mod);
    byte[] bytes = EntityState.initial(cfg).encode();
    ModelConfig other = cfg.toBuilder().hiddenSize(7).build();
    assertThatThrownBy(() -> EntityState.decode(other, bytes))
        .hasMessageContaining("expected entity state with H=7")
        .hasMessageContaining("got H=6");
    byte[] bad = bytes.clone();
    bad[0] = 9;
    assertThatThrownBy(() -> EntityState.decode(cfg, bad))
        .hasMessage("expected entity state version 1, got 9");
    assertThatThrownBy(
            () -> EntityState.decode(cfg, java.util.Arrays.copyOf(bytes, bytes.length + 1)))
        .hasMessageContaining("bytes of entity state");
  }

  @ParameterizedTest
  @EnumSource(TimeModulation.class)
  void stateIsCompact(TimeModulation mod) {
    ModelConfig cfg = ModelConfig.builder().modulation(mod).build(); // H=64, W=32, F=0
    LstmModel m = LstmModel.of(cfg, LstmModel.initialParameters(cfg, 1));
    EntityState s = EntityState.initial(cfg);
    for (int t = 0; t < 40; t++) {
      s.step(m, m.input("x", null, 10L));
    }
    assertThat(s.encode().length).isEqualTo(25 + 4 * 4 * 64 + 32 * 8);
  }
}
