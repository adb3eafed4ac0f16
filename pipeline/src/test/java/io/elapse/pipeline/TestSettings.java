package io.elapse.pipeline;

import io.elapse.pipeline.config.JobSettings;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/** Small, fast job settings for tests. */
public final class TestSettings {

  private TestSettings() {}

  /** H=8, E=4, V=64, K=3 tasks, W=4, short waits, no kernel warm-up; {@code extra} overrides. */
  public static JobSettings small(Map<String, String> extra) {
    Map<String, String> m = new HashMap<>();
    m.put("elapse.model.hidden-size", "8");
    m.put("elapse.model.embedding-dim", "4");
    m.put("elapse.model.vocabulary-buckets", "64");
    m.put("elapse.model.tasks", "a;b;c");
    m.put("elapse.model.window-size", "4");
    m.put("elapse.time.max-out-of-orderness", "0 ms");
    m.put("elapse.time.elapsed-join-wait", "100 ms");
    m.put("elapse.state.pending-label-wait", "1000 ms");
    m.put("elapse.state.entity-ttl", "10000 ms");
    m.put("elapse.train.batch-labels", "1000");
    m.put("elapse.train.batch-max-wait", "1 h");
    m.put("elapse.learner.warm-up", "0 ms"); // each open would take its 2 s
    m.putAll(extra);
    return JobSettings.from(Configuration.fromMap(m));
  }

  /**
   * Settings for whole-job tests: {@link #small(Map)} with production-like state lifetimes (entity
   * TTL 1 day, labels wait 2 minutes), gradient batches of 8 or 200 ms, versions every 200 ms, a
   * checkpoint every 2 s; {@code extra} overrides.
   */
  public static JobSettings forJobs(Map<String, String> extra) {
    Map<String, String> m = new HashMap<>();
    m.put("elapse.state.entity-ttl", "1 d");
    m.put("elapse.state.pending-label-wait", "2 min");
    m.put("elapse.train.batch-labels", "8");
    m.put("elapse.train.batch-max-wait", "200 ms");
    m.put("elapse.coordinator.publish-interval", "200 ms");
    m.put("elapse.checkpoint.interval", "2 s");
    m.putAll(extra);
    return small(m);
  }

  /** {@link #small(Map)} without overrides. */
  public static JobSettings small() {
    return small(Map.of());
  }
}
