package io.elapse.pipeline.learner;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** One Flink counter per dead-letter reason code, created on first use. */
public final class DeadLetterCounters {

  private final MetricGroup group;
  private final Map<String, Counter> counters = new HashMap<>();

  /** Counters under {@code group}. */
  public DeadLetterCounters(MetricGroup group) {
    this.group = group;
  }

  /** Counts one dead letter with {@code reason}. */
  public void count(String reason) {
    counters.computeIfAbsent(reason, group::counter).inc();
  }
}
