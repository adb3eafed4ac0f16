package io.elapse.pipeline.it;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter for tests that keeps every gauge registered in this JVM by its full
 * identifier, so a test can read an operator's gauges (also after the job finished). Enable with
 * {@code metrics.reporter.collect.factory.class}.
 */
public final class CollectingReporter implements MetricReporter {

  /** Gauges by metric identifier. */
  static final Map<String, Gauge<?>> GAUGES = new ConcurrentHashMap<>();

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
    if (metric instanceof Gauge<?> g) {
      GAUGES.put(group.getMetricIdentifier(name), g);
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {}

  /** The value of the one gauge whose identifier ends with {@code suffix}. */
  static Object gauge(String suffix) {
    var matches = GAUGES.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).toList();
    if (matches.size() != 1) {
      throw new IllegalStateException(
          "expected one gauge ending with "
              + suffix
              + ", got "
              + matches.size()
              + ": "
              + matches.stream().map(Map.Entry::getKey).toList());
    }
    return matches.get(0).getValue().getValue();
  }

  /** Creates the reporter. */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new CollectingReporter();
    }
  }
}
