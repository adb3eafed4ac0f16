package io.elapse.pipeline.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elapse.model.cell.TimeAwareLstmCell;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyntheticStreamTest {

  private static SyntheticSpec spec(int types, SyntheticSpec.Signal signal) {
    return new SyntheticSpec(
        500,
        60_000,
        types,
        SyntheticSpec.taskNames(30),
        0.3,
        0.3,
        1_000,
        500,
        1_767_225_600_000L,
        true,
        7L,
        signal);
  }

  private static double positiveRate(SyntheticStream.Generated g) {
    double pos = 0;
    double n = 0;
    for (var l : g.labels()) {
      for (Map.Entry<String, Double> e : l.label().getTargets().entrySet()) {
        pos += e.getValue();
        n++;
      }
    }
    return pos / n;
  }

  @Test
  void theSignalSetsTheTwoProbabilitiesAndTheDemoIsAboutOnePositiveInThirty() {
    SyntheticSpec.Signal s = new SyntheticSpec.Signal(-7.0, 9.0, 0.2, 0.8);
    SyntheticStream.Generated g = new SyntheticStream(spec(30, s)).generate();
    double low = TimeAwareLstmCell.sigmoid(-7.0);
    double high = TimeAwareLstmCell.sigmoid(2.0);
    for (var e : g.events()) {
      for (double p : e.trueProbabilities()) {
        assertThat(Math.abs(p - low) < 1e-12 || Math.abs(p - high) < 1e-12)
            .as("probability %s is one of the signal's two", p)
            .isTrue();
      }
    }
    assertThat(positiveRate(g)).isBetween(1.0 / 40, 1.0 / 20);
  }

  @Test
  void withoutASignalTheSpecUsesTheDefaultOne() {
    SyntheticSpec eleven =
        new SyntheticSpec(
            500,
            20_000,
            12,
            SyntheticSpec.taskNames(4),
            0.3,
            0.3,
            1_000,
            500,
            1_767_225_600_000L,
            false,
            7L);
    assertThat(eleven.signal()).isEqualTo(SyntheticSpec.Signal.DEFAULT);
    double low = TimeAwareLstmCell.sigmoid(-4.6);
    double high = TimeAwareLstmCell.sigmoid(-0.6);
    boolean sawHigh = false;
    for (var e : new SyntheticStream(eleven).generate().events()) {
      for (double p : e.trueProbabilities()) {
        assertThat(Math.abs(p - low) < 1e-12 || Math.abs(p - high) < 1e-12).isTrue();
        sawHigh |= Math.abs(p - high) < 1e-12;
      }
    }
    assertThat(sawHigh).as("some events are triggered").isTrue();
  }

  @Test
  void aBadSignalIsRejectedWithItsValues() {
    assertThatThrownBy(() -> new SyntheticSpec.Signal(-4.6, 4.0, 2.0, 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2.0, 1.0");
    assertThatThrownBy(() -> new SyntheticSpec.Signal(Double.NaN, 4.0, 0.5, 1.0))
        .hasMessageContaining("finite");
  }
}
