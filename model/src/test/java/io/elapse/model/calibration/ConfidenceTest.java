package io.elapse.model.calibration;

import static io.elapse.model.calibration.PredictionSet.BOTH;
import static io.elapse.model.calibration.PredictionSet.EMPTY;
import static io.elapse.model.calibration.PredictionSet.ONE;
import static io.elapse.model.calibration.PredictionSet.ZERO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConfidenceTest {

  @Test
  void isTheFractionOfSingletonSets() {
    PredictionSet[] sets = {ZERO, ONE, BOTH, EMPTY};
    assertThat(Confidence.overall(sets, new double[] {0.1, 0.9, 0.5, 0.5})).isEqualTo(0.5);
    assertThat(Confidence.overall(new PredictionSet[] {ONE, ONE}, new double[] {0.9, 0.8}))
        .isEqualTo(1.0);
    assertThat(Confidence.overall(new PredictionSet[] {BOTH}, new double[] {0.5})).isZero();
  }

  @Test
  void skipsTasksWithoutPrediction() {
    PredictionSet[] sets = {ZERO, null, BOTH};
    assertThat(Confidence.overall(sets, new double[] {0.1, 0.9, Double.NaN})).isEqualTo(1.0);
    assertThat(Confidence.overall(new PredictionSet[0], new double[0])).isZero();
  }

  @Test
  void rejectsMismatchedLengths() {
    assertThatThrownBy(() -> Confidence.overall(new PredictionSet[] {ONE}, new double[2]))
        .hasMessageContaining("(1), got 2");
  }
}
