package io.elapse.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.DeadLetter;
import io.elapse.avro.Prediction;
import io.elapse.connectors.ElapseKafka;
import io.elapse.connectors.KafkaConfig;
import io.elapse.pipeline.ElapseJob;
import io.elapse.pipeline.TestSettings;
import io.elapse.pipeline.config.JobSettings;
import io.elapse.pipeline.synth.SyntheticProducer;
import io.elapse.pipeline.synth.SyntheticSpec;
import io.elapse.pipeline.synth.SyntheticStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, "Learning": on a stream whose outcomes depend on elapsed time since an earlier trigger
 * event, with 65% of task labels missing and labels arriving late, the time-aware job (TIME_GATE)
 * and the plain one (NONE) both beat the base rate (AUC 0.5) by at least 0.15 in prequential AUC
 * over the second half, on a real broker and a MiniCluster at parallelism 2; their difference is
 * printed, not asserted. Measured differences (TIME_GATE − NONE, producer at 1,000 events/s) over
 * eight runs of 2026-12-03 and 2026-12-04: 0.036, 0.052, 0.032, 0.056, 0.034, 0.009, 0.036 and
 * −0.010: the job's timing (which model version scores which event) varies from run to run. The
 * same operators driven in order through a harness ({@code LearnerReplayTest}, deterministic) give
 * 0.798 / 0.751 and assert the margin. DECAY is not compared here: on this stream it is level with
 * NONE (0.754 in the harness).
 */
class ElapseJobLearningTest {

  static KafkaJobFixture fixture;

  @BeforeAll
  static void start() {
    fixture = new KafkaJobFixture();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  static SyntheticSpec spec() {
    return new SyntheticSpec(
        200,
        45_000,
        6,
        SyntheticSpec.taskNames(4),
        0.35,
        0.35,
        30_000,
        60_000,
        1_767_225_600_000L,
        false,
        11L);
  }

  static JobSettings settings(String variant) {
    return TestSettings.forJobs(
        Map.of(
            "elapse.model.variant", variant,
            "elapse.model.hidden-size", "16",
            "elapse.model.embedding-dim", "8",
            "elapse.model.tasks", "task_00;task_01;task_02;task_03",
            "elapse.model.window-size", "8",
            "elapse.train.learning-rate", "0.03",
            "elapse.coordinator.publish-interval", "50 ms"));
  }

  record Run(List<Prediction> predictions, List<DeadLetter> deadLetters) {}

  static Run run(String variant, SyntheticStream.Generated stream) throws Exception {
    // Each variant gets a broker of its own, so the two runs share nothing but the stream.
    fixture.close();
    fixture = new KafkaJobFixture();
    KafkaConfig config = fixture.topics(variant.toLowerCase() + ".", 2);
    JobSettings settings = settings(variant);
    StreamExecutionEnvironment env = KafkaJobFixture.environment(settings);
    ElapseJob.define(env, config, settings, false);
    JobClient job = env.executeAsync("learning-" + variant);
    try (SyntheticProducer producer =
        new SyntheticProducer(new ElapseKafka(config).producerProperties())) {
      producer.send(stream, config.topics().events(), config.topics().labels(), 1_000, null);
    }
    int expected = stream.events().size();
    TopicCollector<Prediction> collected =
        new TopicCollector<>(config, config.topics().predictions(), Prediction.class);
    boolean all =
        KafkaJobFixture.await(
            Duration.ofMinutes(2), () -> collected.poll(50).stream().count() >= expected);
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
    SyntheticStream.Generated stream = new SyntheticStream(spec()).generate();
    int warmUp = stream.events().size() / 2;

    Run none = run("NONE", stream);
    Run timed = run("TIME_GATE", stream);

    Prequential.Joined t = Prequential.join(timed.predictions(), stream.labels(), warmUp);
    Prequential.Joined n = Prequential.join(none.predictions(), stream.labels(), warmUp);
    System.out.printf(
        "raw-logit AUC after warm-up: TIME_GATE %.4f, NONE %.4f%n",
        Prequential.join(timed.predictions(), stream.labels(), warmUp, true).auc(),
        Prequential.join(none.predictions(), stream.labels(), warmUp, true).auc());
    System.out.printf(
        "prequential AUC after warm-up: TIME_GATE %.4f, NONE %.4f, margin %.4f over %d targets"
            + " (positive rate %.4f)%n",
        t.auc(), n.auc(), t.auc() - n.auc(), t.scores().length, t.positiveRate());

    assertThat(t.missingPredictions()).isZero();
    assertThat(n.missingPredictions()).isZero();
    assertThat(t.scores().length).isGreaterThan(5_000);
    // Base rate: a constant score has AUC 0.5.
    assertThat(n.auc()).as("NONE learns").isGreaterThan(0.65);
    assertThat(t.auc()).as("TIME_GATE learns").isGreaterThan(0.65);
    // Not asserted: through the job the margin varies with timing (runs of 2026-12-04: 0.034,
    // 0.009, 0.036, -0.010); LearnerReplayTest asserts it on a deterministic schedule.
    System.out.printf(
        "what time-awareness buys in the job: %.4f (reported, not asserted)%n", t.auc() - n.auc());
  }
}
