package io.elapse.pipeline.eval;

import io.elapse.avro.Label;
import io.elapse.avro.Prediction;
import io.elapse.avro.TaskPrediction;
import io.elapse.connectors.AvroCodec;
import io.elapse.connectors.DecodeResult;
import io.elapse.model.calibration.PredictionSet;
import io.elapse.model.metrics.MetricsReport;
import io.elapse.model.metrics.PrequentialMetrics;
import io.elapse.model.metrics.ReliabilityDiagram;
import io.elapse.pipeline.ConformalSets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Joins a predictions topic with a labels topic by (entityId, eventId), in this process, and feeds
 * every present (probability, target, set) of every task to a cumulative and a sliding {@link
 * PrequentialMetrics}. Reads {@code read_committed}, from the beginning. Call {@link #pollOnce}
 * from one thread; {@link #sample} records a point of the time series.
 */
public final class LiveEvaluator implements AutoCloseable {

  /** One point of the time series. */
  public record Point(
      double seconds,
      long predictions,
      long labelsJoined,
      double slidingAuc,
      double slidingLogLoss,
      double slidingEce,
      double slidingCoverage,
      double predictionsPerSecond,
      long maxModelStep) {}

  private static final double RATE_WINDOW_SECONDS = 20;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String predictionsTopic;
  private final Map<String, Integer> taskIndex = new HashMap<>();
  private final PrequentialMetrics cumulative;
  private final PrequentialMetrics sliding;
  private final Map<String, Prediction> waitingPredictions;
  private final Map<String, List<Label>> waitingLabels = new HashMap<>();
  private final List<Point> series = new ArrayList<>();
  private final long startNanos = System.nanoTime();
  private long predictions;
  private long labelsJoined;
  private long labelDelaySumMillis;
  private long maxStep;

  /** Committed predictions per second, burst to burst over the last 20 s. */
  private final CommitRate commitRate = new CommitRate(RATE_WINDOW_SECONDS);

  /**
   * Reads {@code predictionsTopic} and {@code labelsTopic} with {@code consumerProperties}
   * (bootstrap servers, security), for a model with {@code tasks}.
   */
  public LiveEvaluator(
      Properties consumerProperties,
      String predictionsTopic,
      String labelsTopic,
      List<String> tasks,
      int slidingWindow,
      int maxPending) {
    Properties p = new Properties();
    p.putAll(consumerProperties);
    p.setProperty("group.id", "elapse-evaluator-" + System.nanoTime());
    p.setProperty("isolation.level", "read_committed");
    p.setProperty("enable.auto.commit", "false");
    this.consumer = new KafkaConsumer<>(p);
    this.predictionsTopic = predictionsTopic;
    for (int i = 0; i < tasks.size(); i++) {
      taskIndex.put(tasks.get(i), i);
    }
    this.cumulative = PrequentialMetrics.cumulative(tasks.size());
    this.sliding = PrequentialMetrics.sliding(tasks.size(), slidingWindow, 5);
    this.waitingPredictions =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Prediction> eldest) {
            return size() > maxPending;
          }
        };
    List<TopicPartition> parts = new ArrayList<>();
    for (String topic : List.of(predictionsTopic, labelsTopic)) {
      consumer
          .partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
    }
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
  }

  /** Reads what arrived (one poll) and joins it; returns the number of records read. */
  public int pollOnce(Duration timeout) {
    int n = 0;
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
      n++;
      if (r.topic().equals(predictionsTopic)) {
        DecodeResult<Prediction> d = AvroCodec.of(Prediction.class).decode(r.value());
        if (d.isSuccess()) {
          onPrediction(d.record());
        }
      } else {
        DecodeResult<Label> d = AvroCodec.of(Label.class).decode(r.value());
        if (d.isSuccess()) {
          onLabel(d.record());
        }
      }
    }
    return n;
  }

  private static String key(String entity, String event) {
    return entity + '\u0000' + event;
  }

  private void onPrediction(Prediction p) {
    predictions++;
    maxStep = Math.max(maxStep, p.getModelVersion().getStep());
    String k = key(p.getEntityId(), p.getEventId());
    List<Label> early = waitingLabels.remove(k);
    waitingPredictions.put(k, p);
    if (early != null) {
      early.forEach(l -> join(p, l));
    }
  }

  private void onLabel(Label l) {
    String k = key(l.getEntityId(), l.getEventId());
    Prediction p = waitingPredictions.get(k);
    if (p != null) {
      join(p, l);
    } else if (waitingLabels.size() < 1_000_000) {
      waitingLabels.computeIfAbsent(k, x -> new ArrayList<>()).add(l);
    }
  }

  private void join(Prediction p, Label l) {
    labelsJoined++;
    labelDelaySumMillis += l.getLabelTime().toEpochMilli() - p.getEventTime().toEpochMilli();
    for (TaskPrediction t : p.getTasks()) {
      Double y = l.getTargets().get(t.getTask());
      Integer task = taskIndex.get(t.getTask());
      if (y == null || task == null) {
        continue;
      }
      PredictionSet set = ConformalSets.fromAvro(t.getPredictionSet());
      cumulative.add(task, t.getProbability(), y, set);
      sliding.add(task, t.getProbability(), y, set);
    }
  }

  /** Records a point of the time series now and returns it. */
  public Point sample() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    MetricsReport s = sliding.report();
    double rate = commitRate.sample(seconds, predictions);
    Point point =
        new Point(
            seconds,
            predictions,
            labelsJoined,
            s.overall().auc(),
            s.overall().logLoss(),
            s.overall().ece(),
            s.overall().setCoverage(),
            rate,
            maxStep);
    series.add(point);
    return point;
  }

  /** Every point recorded so far. */
  public List<Point> series() {
    return List.copyOf(series);
  }

  /** Metrics over everything joined so far. */
  public MetricsReport cumulativeReport() {
    return cumulative.report();
  }

  /** The pooled reliability diagram over everything joined so far. */
  public ReliabilityDiagram reliability() {
    return cumulative.reliabilityOverall();
  }

  /** Predictions read. */
  public long predictions() {
    return predictions;
  }

  /** Labels joined with their prediction. */
  public long labelsJoined() {
    return labelsJoined;
  }

  /** Mean label delay (label time - event time) of the joined labels, in milliseconds. */
  public double meanLabelDelayMillis() {
    return labelsJoined == 0 ? Double.NaN : (double) labelDelaySumMillis / labelsJoined;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
