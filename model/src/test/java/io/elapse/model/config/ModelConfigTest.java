package io.elapse.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelConfigTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    ModelConfig c = ModelConfig.builder().build();
    assertThat(c.hiddenSize()).isEqualTo(64);
    assertThat(c.embeddingDim()).isEqualTo(32);
    assertThat(c.vocabularyBuckets()).isEqualTo(10_000);
    assertThat(c.numFeatures()).isZero();
    assertThat(c.numTasks()).isEqualTo(30);
    assertThat(c.tasks().get(0)).isEqualTo("task_00");
    assertThat(c.tasks().get(29)).isEqualTo("task_29");
    assertThat(c.windowSize()).isEqualTo(32);
    assertThat(c.timeTransform()).isEqualTo(new TimeTransform(TimeTransform.Kind.LOG1P, 60_000));
    assertThat(c.gradClipNorm()).isEqualTo(5.0);
    assertThat(c.loss()).isEqualTo(LossConfig.uniform(30));
    assertThat(c.inputSize()).isEqualTo(33);
  }

  @Test
  void toStringShowsEveryHyperparameter() {
    String s = ModelConfig.builder().build().toString();
    for (String key :
        List.of(
            "modulation=DECAY",
            "hiddenSize=64",
            "embeddingDim=32",
            "vocabularyBuckets=10000",
            "numFeatures=0",
            "task_29",
            "windowSize=32",
            "LOG1P",
            "scaleMillis=60000.0",
            "posWeight=",
            "taskWeight=",
            "l2Activity=",
            "l2Weights=",
            "gradClipNorm=5.0",
            "seed=42")) {
      assertThat(s).contains(key);
    }
  }

  @Test
  void validationStatesExpectedAndGot() {
    assertThatThrownBy(() -> ModelConfig.builder().hiddenSize(0).build())
        .hasMessage("expected hiddenSize > 0, got 0");
    assertThatThrownBy(() -> ModelConfig.builder().loss(LossConfig.uniform(29)).build())
        .hasMessageContaining("expected loss weights for 30 tasks, got 29");
    assertThatThrownBy(() -> ModelConfig.builder().tasks(List.of("a", "a")).build())
        .hasMessageContaining("distinct");
    assertThatThrownBy(() -> ModelConfig.builder().gradClipNorm(-1).build())
        .hasMessageContaining("got -1.0");
    assertThatThrownBy(() -> new TimeTransform(TimeTransform.Kind.LOG1P, 0))
        .hasMessage("expected scaleMillis finite and > 0, got 0.0");
    assertThatThrownBy(() -> new LossConfig(new float[] {1f, 0f}, new float[] {1f, 1f}, 0f, 0f))
        .hasMessage("expected posWeight[1] finite and > 0, got 0.0");
  }

  @Test
  void timeTransformsAreAsDocumented() {
    assertThat(new TimeTransform(TimeTransform.Kind.LOG1P, 1000).apply(1000))
        .isEqualTo(Math.log(2));
    assertThat(new TimeTransform(TimeTransform.Kind.LINEAR, 1000).apply(2500)).isEqualTo(2.5);
    assertThat(new TimeTransform(TimeTransform.Kind.ZERO, 1000).apply(2500)).isZero();
  }
}
