package io.elapse.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.model.LstmModel;
import io.elapse.model.config.ModelConfig;
import io.elapse.model.config.TimeModulation;
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

  @ParameterizedTest
  @EnumSource(TimeModulation.class)
  void aZeroBudgetStillRunsOneRound(TimeModulation mod) {
    ModelConfig c = GradientCheckTest.config(mod);
    WarmUp.Summary s = WarmUp.run(LstmModel.of(c, LstmModel.initialParameters(c, 1)), 0);
    assertThat(s.updates()).isEqualTo(1);
  }
}
