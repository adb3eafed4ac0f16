package io.elapse.pipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineBenchRepeatTest {

  private static PipelineBench.Throughput run(double eventsPerSecond, long checkpointBytes) {
    return new PipelineBench.Throughput(
        "elapse", 100, eventsPerSecond, 10, 50, 2, 100, checkpointBytes, checkpointBytes, 0, 0);
  }

  @Test
  void theMedianIsAMeasuredRunAndOfTwoTheSlower() {
    var slow = run(15_000, 1);
    var mid = run(18_000, 2);
    var fast = run(21_000, 3);

    assertThat(PipelineBench.median(List.of(fast, slow, mid))).isSameAs(mid);
    assertThat(PipelineBench.median(List.of(fast, slow))).isSameAs(slow);
    assertThat(PipelineBench.median(List.of(mid))).isSameAs(mid);
  }

  @Test
  void optionsRefuseZeroRepeatsAndEmptyInputWithTheFlagName() {
    assertThatThrownBy(() -> options(1_000, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--repeat must be at least 1, got 0");
    assertThatThrownBy(() -> options(0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--events, --entities and --tasks must be > 0, got 0");
  }

  private static PipelineBench.Options options(int events, int repeat) {
    return new PipelineBench.Options(
        events,
        10,
        0.1,
        0.1,
        3,
        0.8,
        Duration.ofSeconds(1),
        "hashmap",
        Map.of(),
        Path.of("target/bench/x.json"),
        false,
        true,
        1,
        repeat);
  }
}
