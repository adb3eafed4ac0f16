package io.elapse.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.model.LstmModel;
import io.elapse.model.config.ModelConfig;
import io.elapse.model.config.TimeModulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WarmUpTest {

  @ParameterizedTest
  @EnumSource(TimeModulation.class)
  void runsStepsAndUpdatesWithinItsBudgetAndLeavesTheModelAlone(TimeModulation mod) {
    ModelConfig c = GradientCheckTest.config(mod).toBuilder().numFeatures(2).build();
    LstmModel m = LstmModel.of(c, LstmModel.initialParameters(c, 1));
    float[] before = m.parameters().clone();

    WarmUp.Summary s = WarmUp.run(m, 50_000_000L);

    assertThat(s.updates()).isPositive();
    assertThat(s.steps()).isEqualTo(s.updates() * WarmUp.STEPS_PER_UPDATE);
    assertThat(s.nanos()).isGreaterThanOrEqualTo(50_000_000L);
    assertThat(m.parameters()).containsExactly(before);
  }

  @Test
  void onceRunsOncePerConfigurationAndThenReportsNothing() {
    // Sizes no other test uses: the set of warmed-up configurations is per class loader.
    ModelConfig c =
        GradientCheckTest.config(TimeModulation.DECAY).toBuilder().hiddenSize(5).build();
    ModelConfig other = c.toBuilder().hiddenSize(6).build();
    LstmModel m = LstmModel.of(c, LstmModel.initialParameters(c, 1));

    assertThat(WarmUp.once(m, 0)).hasValueSatisfying(s -> assertThat(s.updates()).isEqualTo(1));
    assertThat(WarmUp.once(m, 0)).isEmpty();
    assertThat(WarmUp.once(LstmModel.of(other, LstmModel.initialParameters(other, 1)), 0))
        .isPresent();
  }

  @ParameterizedTest
  @EnumSource(TimeModulation.class)
  void aZeroBudgetStillRunsOneRound(TimeModulation mod) {
    ModelConfig c = GradientCheckTest.config(mod);
    WarmUp.Summary s = WarmUp.run(LstmModel.of(c, LstmModel.initialParameters(c, 1)), 0);
    assertThat(s.updates()).isEqualTo(1);
  }
}
