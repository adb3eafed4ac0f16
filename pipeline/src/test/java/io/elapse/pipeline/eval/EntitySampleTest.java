package io.elapse.pipeline.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

class EntitySampleTest {

  static final int N = 100_000;

  static long kept(EntitySample s, String prefix) {
    return IntStream.range(0, N).filter(i -> s.contains(prefix + i)).count();
  }

  @Test
  void keepsAboutTheFractionOfSequentialIds() {
    // Ids that differ only in their last digits, as real ids often do. A binomial standard
    // deviation at N = 100,000 is under 0.0016 of N, so 0.01 is over six of them.
    for (double f : new double[] {0.01, 0.1, 0.5, 0.9}) {
      assertThat((double) kept(new EntitySample(f), "user-") / N)
          .as("fraction %s", f)
          .isBetween(f - 0.01, f + 0.01);
    }
  }

  @Test
  void aSmallerSampleIsInsideALargerOneAndTheSameInstanceAgrees() {
    EntitySample small = new EntitySample(0.2);
    EntitySample large = new EntitySample(0.6);
    EntitySample again = new EntitySample(0.2);
    for (int i = 0; i < N; i++) {
      String id = "e" + i;
      if (small.contains(id)) {
        assertThat(large.contains(id)).as(id).isTrue();
      }
      assertThat(again.contains(id)).as(id).isEqualTo(small.contains(id));
    }
  }

  @Test
  void theSampleSpreadsOverTheSubtasks() {
    EntitySample s = new EntitySample(0.1);
    long[] perSubtask = new long[4];
    for (int i = 0; i < N; i++) {
      String id = "user-" + i;
      if (s.contains(id)) {
        perSubtask[KeyGroupRangeAssignment.assignKeyToParallelOperator(id, 128, 4)]++;
      }
    }
    long total = java.util.Arrays.stream(perSubtask).sum();
    for (long n : perSubtask) {
      assertThat((double) n / total).isBetween(0.2, 0.3);
    }
  }

  @Test
  void oneKeepsEveryEntityAndANullId() {
    EntitySample all = new EntitySample(1.0);
    assertThat(all.all()).isTrue();
    assertThat(kept(all, "x")).isEqualTo(N);
    assertThat(new EntitySample(0.001).contains(null)).isTrue();
  }

  @Test
  void rejectsWhatIsNotAFraction() {
    for (double bad : new double[] {0, -0.5, 1.01, Double.NaN}) {
      assertThatThrownBy(() -> new EntitySample(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("fraction in (0, 1]");
    }
  }
}
