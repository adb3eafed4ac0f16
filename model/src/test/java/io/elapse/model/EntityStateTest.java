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
  void windowKeepsLastEventsAndItsStartReplaysToTheCurrentState(TimeModulation mod) {
    ModelConfig cfg = config(mod);
    LstmModel m = LstmModel.of(cfg, LstmModel.initialParameters(cfg, 2));
    EntityState s = EntityState.initial(cfg);
    assertThat(s.inWindow(0)).isFalse();
    assertThat(s.windowLength()).isZero();
    SplittableRandom r = new SplittableRandom(4);
    io.elapse.model.cell.StepCache cache = new io.elapse.model.cell.StepCache(cfg);
    for (int t = 0; t < 23; t++) { // W = 4: crosses several anchor jumps
      EventInput in =
          m.input(
              "e" + r.nextInt(5),
              new float[] {(float) r.nextGaussian()},
              t == 0 ? null : (long) r.nextInt(100_000));
      StepResult res = s.step(m, in);
      assertThat(res.sequence()).isEqualTo(t);
      assertThat(res.logits()).containsExactly(m.logits(s.hidden()));
      assertThat(s.eventCount()).isEqualTo(t + 1);
      assertThat(s.windowLength()).isEqualTo(Math.min(t + 1, 4));
      assertThat(s.sequenceOfOldest()).isEqualTo(Math.max(0, t + 1 - 4));
      assertThat(s.inWindow(t)).isTrue();
      assertThat(s.inWindow(t + 1)).isFalse();
      assertThat(s.inWindow(t - 4)).isFalse();
      assertThat(s.eventAtPosition(s.windowLength() - 1).bucket()).isEqualTo(in.bucket());
      // replay the window from its start state with the same model: same h and c (bit-exact)
      StateSnapshot start = s.windowStart(m);
      float[] h = start.h();
      float[] c = start.c();
      for (int p = 0; p < s.windowLength(); p++) {
        m.cell().forward(s.eventAtPosition(p), h, c, cache);
        h = cache.h().clone();
        c = cache.c().clone();
      }
      assertThat(h).as("h after replay at t=%d", t).containsExactly(s.hidden());
      assertThat(c).as("c after replay at t=%d", t).containsExactly(s.cell());
      assertThat(s.copy().encode()).containsExactly(s.encode());
    }
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
        .hasMessage("expected entity state version 2, got 9");
    assertThatThrownBy(
            () -> EntityState.decode(cfg, java.util.Arrays.copyOf(bytes, bytes.length + 1)))
        .hasMessageContaining("bytes of entity state");
  }

  @ParameterizedTest
  @EnumSource(TimeModulation.class)
  void decodeWithoutConfigTakesTheSizesFromTheHeader(TimeModulation mod) {
    ModelConfig cfg = config(mod);
    LstmModel m = LstmModel.of(cfg, LstmModel.initialParameters(cfg, 2));
    EntityState a = EntityState.initial(cfg);
    a.step(m, m.input("e1", new float[] {1f}, null));
    EntityState b = EntityState.decode(a.encode());
    assertThat(b.encode()).containsExactly(a.encode());
    assertThat(b.fits(cfg)).isTrue();
    assertThat(b.fits(cfg.toBuilder().hiddenSize(7).build())).isFalse();
    assertThat(b.fits(cfg.toBuilder().windowSize(cfg.windowSize() + 1).build())).isFalse();
    assertThat(b.shape()).isEqualTo("H=6, W=" + cfg.windowSize() + ", F=" + cfg.numFeatures());
    assertThatThrownBy(() -> EntityState.decode(new byte[3]))
        .hasMessageContaining("bytes of entity state, got 3");
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
    // 6 H-vectors + up to 2W buffered events of 8 bytes: 2,073 bytes at most
    assertThat(s.encode().length).isLessThanOrEqualTo(25 + 6 * 4 * 64 + 64 * 8);
  }
}
