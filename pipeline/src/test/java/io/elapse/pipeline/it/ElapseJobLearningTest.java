package io.elapse.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.DeadLetter;
import io.elapse.avro.Prediction;
import io.elapse.connectors.ElapseKafka;
import io.elapse.connectors.KafkaConfig;
import io.elapse.pipeline.ElapseJob;
import io.elapse.pipeline.config.JobSettings;
import io.elapse.pipeline.synth.LearningComparison;
import io.elapse.pipeline.synth.SyntheticProducer;
import io.elapse.pipeline.synth.SyntheticStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, "Learning": on a stream whose outcomes depend on elapsed time since an earlier trigger
 * event ({@link LearningComparison}), with 65% of task labels missing and labels arriving late, the
 * time-aware job (TIME_GATE, φ = log1p(Δt / s)) beats the plain LSTM that never sees elapsed time
 * (NONE, {@code elapse.model.time-transform=zero}) by at least {@value #MARGIN} in prequential AUC
 * over the second half, and both beat the base rate (AUC 0.5) by at least 0.1, on a real broker and
 * a MiniCluster at parallelism 2. Measured 2026-12-04 at {@value #RATE} events/s, two runs:
 * TIME_GATE 0.806 and 0.809, time-blind NONE 0.678 and 0.695 (margins 0.128, 0.114); the
 * deterministic harness ({@code LearnerReplayTest}) gives 0.121 for the same initialization and
 * 0.066 to 0.069 for two others.
 *
 * <p>The NONE variant with the default φ is not the baseline here: it sees φ(Δt) as an input, and
 * whether TIME_GATE beats it depends on the initialization ({@code LearnerReplayTest}'s javadoc);
 * in this test with seed 42 it did in 13 runs of 13, by 0.009 to 0.076.
 */
class ElapseJobLearningTest {

  /** Events per second from the producer. */
  static final int RATE = 1_500;

  static KafkaJobFixture fixture;

  @BeforeAll
  static void start() {
    fixture = new KafkaJobFixture();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** The least AUC by which the time-aware job must beat the time-blind one. */
  static final double MARGIN = 0.05;

  static JobSettings settings(String variant, Map<String, String> extra) {
    Map<String, String> m = new HashMap<>(extra);
    m.put("elapse.coordinator.publish-interval", "50 ms");
    return LearningComparison.settings(variant, m);
  }

  record Run(List<Prediction> predictions, List<DeadLetter> deadLetters) {}

  static Run run(String variant, Map<String, String> extra, SyntheticStream.Generated stream)
      throws Exception {
    // Each variant gets a broker of its own, so the two runs share nothing but the stream.
    fixture.close();
    fixture = new KafkaJobFixture();
    KafkaConfig config = fixture.topics(variant.toLowerCase() + ".", 2);
    JobSettings settings = settings(variant, extra);
    StreamExecutionEnvironment env = KafkaJobFixture.environment(settings);
    ElapseJob.define(env, config, settings, false);
    JobClient job = env.executeAsync("learning-" + variant);
    try (SyntheticProducer producer =
        new SyntheticProducer(new ElapseKafka(config).producerProperties())) {
      producer.send(stream, config.topics().events(), config.topics().labels(), RATE, null);
    }
    int expected = stream.events().size();
    TopicCollector<Prediction> collected =
        new TopicCollector<>(config, config.topics().predictions(), Prediction.class);
    boolean all =
        KafkaJobFixture.await(
            Duration.ofMinutes(3), () -> collected.poll(50).stream().count() >= expected);
    if (!all) {
      var seen =
          collected.poll(50).stream()
              .map(p -> p.getEventId())
              .collect(java.util.stream.Collectors.toSet());
      var missing =
          stream.events().stream().filter(ge -> !seen.contains(ge.event().getEventId())).toList();
      java.util.Set<String> uncommitted;
      try (TopicCollector<Prediction> u =
          new TopicCollector<>(config, config.topics().predictions(), Prediction.class, false)) {
        uncommitted =
            u.drain().stream()
                .map(p -> p.getEventId().toString())
                .collect(java.util.stream.Collectors.toSet());
      }
      System.out.printf(
          "%s: %d of the missing events have a prediction in the log (read_uncommitted)%n",
          variant,
          missing.stream()
              .filter(ge -> uncommitted.contains(ge.event().getEventId().toString()))
              .count());
      System.out.printf(
          "%s missing %d events; first indices %s; entities %d%n",
          variant,
          missing.size(),
          missing.stream().limit(10).map(ge -> ge.index()).toList(),
          missing.stream().map(ge -> ge.event().getEntityId()).distinct().count());
    }
    collected.close();
    String status = job.getJobStatus().get().toString();
    job.cancel().get();
    assertThat(all)
        .as(
            "every event of %s predicted (job %s; %d of %d predicted, %d dead letters, %d model updates)",
            variant,
            status,
            fixture.predictions(config).size(),
            expected,
            fixture.deadLetters(config).size(),
            fixture.modelUpdates(config).size())
        .isTrue();
    List<Prediction> predictions;
    try (TopicCollector<Prediction> c =
        new TopicCollector<>(config, config.topics().predictions(), Prediction.class)) {
      predictions = c.drain();
    }
    var updates = fixture.modelUpdates(config);
    System.out.printf(
        "%s: %d predictions, %d model updates (last %s, labels applied %d), max step seen by learners %d%n",
        variant,
        predictions.size(),
        updates.size(),
        updates.isEmpty() ? "-" : updates.get(updates.size() - 1).getVersion(),
        updates.isEmpty() ? 0 : updates.get(updates.size() - 1).getStats().getLabelsApplied(),
        predictions.stream().mapToLong(p -> p.getModelVersion().getStep()).max().orElse(-1));
    long[] steps =
        predictions.stream().mapToLong(p -> p.getModelVersion().getStep()).sorted().toArray();
    System.out.printf(
        "  model step of predictions: p10 %d, median %d, p90 %d%n",
        steps[steps.length / 10], steps[steps.length / 2], steps[steps.length * 9 / 10]);
    var dl = fixture.deadLetters(config);
    System.out.printf(
        "  dead letters by reason: %s%n",
        dl.stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    d -> d.getReason(), java.util.stream.Collectors.counting())));
    return new Run(predictions, dl);
  }

  @Test
  void theTimeGatedJobBeatsThePlainOneAndBothBeatTheBaseRate() throws Exception {
    SyntheticStream.Generated stream = new SyntheticStream(LearningComparison.spec()).generate();
    int warmUp = stream.events().size() / 2;

    Run none = run("NONE", LearningComparison.TIME_BLIND, stream);
    Run timed = run("TIME_GATE", Map.of(), stream);

    Prequential.Joined t = Prequential.join(timed.predictions(), stream.labels(), warmUp);
    Prequential.Joined n = Prequential.join(none.predictions(), stream.labels(), warmUp);
    System.out.printf(
        "raw-logit AUC after warm-up: TIME_GATE %.4f, NONE %.4f%n",
        Prequential.join(timed.predictions(), stream.labels(), warmUp, true).auc(),
        Prequential.join(none.predictions(), stream.labels(), warmUp, true).auc());
    System.out.printf(
        "prequential AUC after warm-up: TIME_GATE %.4f, time-blind NONE %.4f, margin %.4f over %d"
            + " targets"
            + " (positive rate %.4f)%n",
        t.auc(), n.auc(), t.auc() - n.auc(), t.scores().length, t.positiveRate());

    assertThat(t.missingPredictions()).isZero();
    assertThat(n.missingPredictions()).isZero();
    assertThat(t.scores().length).isGreaterThan(5_000);
    // Base rate: a constant score has AUC 0.5.
    assertThat(n.auc()).as("time-blind NONE beats the base rate").isGreaterThan(0.60);
    assertThat(t.auc()).as("TIME_GATE beats the base rate").isGreaterThan(0.70);
    assertThat(t.auc() - n.auc()).as("what time-awareness buys").isGreaterThan(MARGIN);
  }
}
