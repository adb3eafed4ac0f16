package io.elapse.model.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TaskCalibrationStateTest {

  @Test
  void publishedStateReproducesTheCoordinatorsAnswers() {
    PlattScaler platt = new PlattScaler(2);
    AdaptiveConformal conformal = new AdaptiveConformal(2);
    Random rnd = new Random(6);
    for (int i = 0; i < 3000; i++) {
      int t = i % 2;
      double z = 3 * rnd.nextGaussian();
      double y = rnd.nextDouble() < 1 / (1 + Math.exp(-0.5 * z)) ? 1 : 0;
      conformal.update(t, platt.probability(t, z), y);
      platt.update(t, z, y, 1.0);
    }
    List<TaskCalibrationState> states = TaskCalibrationState.publish(platt, conformal);
    assertThat(states).hasSize(2);
    for (int t = 0; t < 2; t++) {
      TaskCalibrationState s = states.get(t);
      assertThat(s.observations()).isEqualTo(1500);
      assertThat(s.plattScale()).isLessThan(0.8); // learned the 0.5 slope, not the identity
      for (double z = -6; z <= 6; z += 0.37) {
        double p = platt.probability(t, z);
        assertThat(s.probability(z)).isEqualTo(p);
        assertThat(s.set(p)).isEqualTo(conformal.set(t, p));
      }
    }
  }

  @Test
  void initialStateIsIdentityWithFullSets() {
    TaskCalibrationState s = TaskCalibrationState.initial(0.1);
    assertThat(s.probability(0.0)).isEqualTo(0.5);
    assertThat(s.set(0.99)).isEqualTo(PredictionSet.BOTH);
    assertThatThrownBy(() -> new TaskCalibrationState(Double.NaN, 0, 0.1, 0.1, 1, 0))
        .hasMessageContaining("a=NaN");
    assertThatThrownBy(
            () -> TaskCalibrationState.publish(new PlattScaler(2), new AdaptiveConformal(3)))
        .hasMessageContaining("(2), got 3");
  }
}
