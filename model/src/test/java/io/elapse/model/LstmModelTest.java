package io.elapse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elapse.model.config.ModelConfig;
import io.elapse.model.config.TimeModulation;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LstmModelTest {
  private static final ModelConfig SMALL =
      ModelConfig.builder()
          .hiddenSize(4)
          .embeddingDim(3)
          .vocabularyBuckets(11)
          .numFeatures(2)
          .numTasks(3)
          .windowSize(5)
          .build();

  @Test
  void murmurHashAgreesWithAnIndependentImplementation() {
    for (String s :
        new String[] {
          "", "a", "ab", "abc", "abcd", "click", "purchase", "héllo wörld ✓", "x".repeat(37)
        }) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      int expected = org.nd4j.shade.guava.hash.Hashing.murmur3_32().hashBytes(b).asInt();
      assertThat(LstmModel.murmur3x86x32(b, 0)).as(s).isEqualTo(expected);
    }
  }

  @Test
  void bucketsAreStableAcrossRunsAndInRange() {
    LstmModel m = LstmModel.of(SMALL, LstmModel.initialParameters(SMALL, 1));
    // pinned values: changing the hash would silently re-map every trained embedding row
    int h = LstmModel.murmur3x86x32("click".getBytes(StandardCharsets.UTF_8), 0);
    assertThat(m.bucketOf("click")).isEqualTo(Integer.remainderUnsigned(h, 11));
    for (int i = 0; i < 200; i++) {
      assertThat(m.bucketOf("type-" + i)).isBetween(0, 10);
    }
  }

  @Test
  void phiRejectsNegativeNanAndInfinite() {
    LstmModel m = LstmModel.of(SMALL, LstmModel.initialParameters(SMALL, 1));
    assertThat(m.phi(0L)).isZero();
    assertThat(m.phi(60_000L)).isEqualTo(Math.log(2));
    assertThatThrownBy(() -> m.phi(-1L))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> m.phi(Double.NaN)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> m.phi(Double.POSITIVE_INFINITY))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void inputValidatesFeatures() {
    LstmModel m = LstmModel.of(SMALL, LstmModel.initialParameters(SMALL, 1));
    assertThatThrownBy(() -> m.input("a", new float[] {1f}, 5L))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("expected 2 features, got 1");
    assertThatThrownBy(() -> m.input("a", new float[] {1f, Float.NaN}, 5L))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> m.input("a", new float[] {1f, 2f}, -5L))
        .isInstanceOf(InvalidInputException.class);
    float[] f = {1f, 2f};
    EventInput in = m.input("a", f, null);
    f[0] = 99f;
    assertThat(in.feature(0)).isEqualTo(1f);
    assertThat(in.phi()).isZero();
  }

  @Test
  void ofCopiesAndValidatesParameters() {
    float[] p = LstmModel.initialParameters(SMALL, 1);
    float[] keep = p.clone();
    LstmModel m = LstmModel.of(SMALL, p);
    p[0] = 42f;
    assertThat(m.parameter(0)).isEqualTo(keep[0]);
    assertThatThrownBy(() -> LstmModel.of(SMALL, new float[3]))
        .hasMessageContaining("expected " + m.layout().size() + " parameters")
        .hasMessageContaining("got 3");
  }

  @Test
  void initialParametersAreDeterministicWithForgetBiasOne() {
    ModelConfig c = SMALL.toBuilder().modulation(TimeModulation.NONE).build();
    float[] a = LstmModel.initialParameters(c, 9);
    assertThat(LstmModel.initialParameters(c, 9)).containsExactly(a);
    int b = ParameterLayout.of(c).offset(ParameterLayout.Group.B);
    for (int n = 0; n < 4; n++) {
      assertThat(a[b + n]).isZero();
      assertThat(a[b + 4 + n]).isEqualTo(1f);
    }
  }

  @Test
  void layoutGroupsAreContiguousAndModulationSpecific() {
    for (TimeModulation mod : TimeModulation.values()) {
      ModelConfig c = SMALL.toBuilder().modulation(mod).build();
      ParameterLayout l = ParameterLayout.of(c);
      int next = 0;
      for (ParameterLayout.Segment s : l.segments()) {
        assertThat(s.offset()).isEqualTo(next);
        next += s.length();
      }
      assertThat(l.size()).isEqualTo(next);
      assertThat(l.has(ParameterLayout.Group.DECAY_LAMBDA)).isEqualTo(mod == TimeModulation.DECAY);
      assertThat(l.has(ParameterLayout.Group.TIME_W)).isEqualTo(mod == TimeModulation.TIME_GATE);
      assertThat(l.length(ParameterLayout.Group.W_X)).isEqualTo((3 + 2 + 1) * 16);
    }
  }
}
