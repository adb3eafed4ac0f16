package io.elapse.pipeline.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CommitRateTest {

  /**
   * 1,000 outputs per second made visible at checkpoints about every 5 s (each 0-1.5 s late),
   * sampled about every 2 s: the demo's situation.
   */
  @Test
  void aSteadyRateCommittedInIrregularBurstsReadsSteadyOnceTwoBurstsAreSeen() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    java.util.List<double[]> commits = new java.util.ArrayList<>(); // {visible at, count}
    for (int k = 1; k <= 40; k++) {
      commits.add(new double[] {5.0 * k + 1.5 * r.nextDouble(), 5000.0 * k});
    }
    CommitRate rate = new CommitRate(20);
    double min = Double.MAX_VALUE;
    double max = 0;
    for (double t = 0.5; t <= 180; t += 1.7 + 0.6 * r.nextDouble()) {
      double count = 0;
      for (double[] c : commits) {
        if (c[0] <= t) {
          count = c[1];
        }
      }
      double reading = rate.sample(t, count);
      if (t >= 20) {
        min = Math.min(min, reading);
        max = Math.max(max, reading);
      }
    }
    assertThat(min).isGreaterThan(750);
    assertThat(max).isLessThan(1250);
  }

  @Test
  void beforeTwoBurstsItIsTheGrowthSinceTheFirstSampleAndAStallReadsZero() {
    CommitRate rate = new CommitRate(20);
    assertThat(rate.sample(1, 0)).isZero();
    assertThat(rate.sample(3, 500)).isEqualTo(250); // 500 / (3 - 1)
    assertThat(rate.sample(5, 500)).isEqualTo(125); // 500 / (5 - 1)
    assertThat(rate.sample(7, 1500)).isCloseTo(250, within(1e-9)); // (1500 - 500) / (7 - 3)
    assertThat(rate.sample(40, 1500)).isZero(); // no burst for a whole window
  }

  @Test
  void aWindowOfZeroIsRejected() {
    assertThatThrownBy(() -> new CommitRate(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window");
  }
}
