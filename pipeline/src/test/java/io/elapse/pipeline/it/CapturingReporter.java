package io.elapse.pipeline.it;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter that keeps every counter and numeric gauge a job registers, by name, so a
 * test on a MiniCluster (same JVM) can read the job's own metrics (and Flink's, such as {@code
 * numberOfCompletedCheckpoints}). Enable it with {@link #configure}.
 */
public final class CapturingReporter implements MetricReporter, MetricReporterFactory {

  private static final Map<String, List<Counter>> COUNTERS = new ConcurrentHashMap<>();
  private static final Map<String, List<Gauge<?>>> GAUGES = new ConcurrentHashMap<>();

  /** Turns the reporter on in {@code conf}. */
  static void configure(org.apache.flink.configuration.Configuration conf) {
    conf.setString("metrics.reporter.capture.factory.class", CapturingReporter.class.getName());
  }

  /** The sum of every counter named {@code name} registered so far (0 when none). */
  static long sum(String name) {
    return COUNTERS.getOrDefault(name, List.of()).stream().mapToLong(Counter::getCount).sum();
  }

  /** The largest current value of the numeric gauges named {@code name} (-1 when none). */
  static long gaugeMax(String name) {
    return GAUGES.getOrDefault(name, List.of()).stream()
        .map(Gauge::getValue)
        .filter(v -> v instanceof Number)
        .mapToLong(v -> ((Number) v).longValue())
        .max()
        .orElse(-1);
  }

  /** Whether a counter named {@code name} was registered. */
  static boolean registered(String name) {
    return COUNTERS.containsKey(name);
  }

  /** Forgets every counter (between tests). */
  static void clear() {
    COUNTERS.clear();
    GAUGES.clear();
  }

  @Override
  public MetricReporter createMetricReporter(Properties properties) {
    return new CapturingReporter();
  }

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
    if (metric instanceof Counter c) {
      COUNTERS.computeIfAbsent(metricName, k -> new CopyOnWriteArrayList<>()).add(c);
    } else if (metric instanceof Gauge<?> g) {
      GAUGES.computeIfAbsent(metricName, k -> new CopyOnWriteArrayList<>()).add(g);
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {}
}
