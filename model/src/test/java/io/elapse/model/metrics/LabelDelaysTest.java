package io.elapse.model.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LabelDelaysTest {

  static final double NA = Double.NaN;

  @Test
  void perTaskRowsCountOnlyLabelsWithATargetAndTheOverallRowEveryLabel() {
    LabelDelays d = new LabelDelays(2);
    d.add(1_000, new double[] {1.0, NA});
    d.add(3_000, new double[] {0.0, 1.0});
    d.add(500, new double[] {NA, NA});

    assertThat(d.count(0)).isEqualTo(2);
    assertThat(d.mean(0)).isEqualTo(2_000.0);
    assertThat(d.max(0)).isEqualTo(3_000);
    assertThat(d.count(1)).isEqualTo(1);
    assertThat(d.mean(1)).isEqualTo(3_000.0);
    assertThat(d.countOverall()).isEqualTo(3);
    assertThat(d.meanOverall()).isEqualTo(1_500.0);
    assertThat(d.maxOverall()).isEqualTo(3_000);
  }

  @Test
  void emptyRowsHaveNaNMeanAndZeroMaxAndNegativeDelaysAreKept() {
    LabelDelays d = new LabelDelays(2);
    assertThat(d.mean(1)).isNaN();
    assertThat(d.max(1)).isZero();
    d.add(-20, new double[] {1.0, NA});
    assertThat(d.max(0)).isEqualTo(-20);
    assertThat(d.mean(1)).isNaN();
  }

  @Test
  void aRestoredSnapshotReportsAndContinuesLikeTheOriginal() {
    LabelDelays d = new LabelDelays(3);
    d.add(10, new double[] {1, NA, 0});
    LabelDelays r = LabelDelays.fromSnapshot(d.snapshot());
    d.add(70, new double[] {NA, 1, 0});
    r.add(70, new double[] {NA, 1, 0});
    for (int t = 0; t < 3; t++) {
      assertThat(r.mean(t)).isEqualTo(d.mean(t));
      assertThat(r.max(t)).isEqualTo(d.max(t));
      assertThat(r.count(t)).isEqualTo(d.count(t));
    }
    assertThat(r.meanOverall()).isEqualTo(40.0);
  }

  @Test
  void badInputIsRejectedWithBothValues() {
    LabelDelays d = new LabelDelays(2);
    assertThatThrownBy(() -> d.add(1, new double[] {1}))
        .hasMessageContaining("expected 2 targets")
        .hasMessageContaining("got 1");
    assertThatThrownBy(() -> LabelDelays.fromSnapshot(new byte[] {1, 2, 3, 4}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("magic");
  }
}
