package io.elapse.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.DeadLetter;
import io.elapse.avro.ModelUpdate;
import io.elapse.avro.Prediction;
import io.elapse.connectors.ElapseKafka;
import io.elapse.connectors.KafkaConfig;
import io.elapse.pipeline.ElapseJob;
import io.elapse.pipeline.ElapseTopology;
import io.elapse.pipeline.TestSettings;
import io.elapse.pipeline.config.JobSettings;
import io.elapse.pipeline.coordinator.KafkaModelWarmStart;
import io.elapse.pipeline.synth.SyntheticProducer;
import io.elapse.pipeline.synth.SyntheticSpec;
import io.elapse.pipeline.synth.SyntheticStream;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, "Recovery": a failure injected mid-stream, recovery from the checkpoint; every input
 * event has exactly one committed prediction, the model version continues, and labels applied +
 * dead-lettered = labels produced.
 */
class ElapseJobRecoveryTest {

  static KafkaJobFixture fixture;

  @BeforeAll
  static void start() {
    fixture = new KafkaJobFixture();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void injectedFailureLosesNothingAndDuplicatesNothing() throws Exception {
    SyntheticSpec spec =
        new SyntheticSpec(
            100,
            12_000,
            6,
            SyntheticSpec.taskNames(3),
            0.3,
            0.4,
            30_000,
            60_000,
            1_767_225_600_000L,
            false,
            5L);
    SyntheticStream.Generated stream = new SyntheticStream(spec).generate();
    KafkaConfig config = fixture.topics("recovery.", 2);
    JobSettings settings =
        TestSettings.forJobs(
            Map.of(
                "elapse.model.tasks", "task_00;task_01;task_02",
                "elapse.model.window-size", "8",
                "elapse.train.batch-labels", "16",
                "elapse.train.batch-max-wait", "200 ms",
                "elapse.coordinator.publish-interval", "100 ms",
                "elapse.checkpoint.interval", "1 s"));
    StreamExecutionEnvironment env = KafkaJobFixture.environment(settings);
    ElapseTopology.Sources kafka = ElapseJob.kafkaSources(env, config, false);
    FailOnceAfterCheckpoint.FAILED.set(false);
    FailOnceAfterCheckpoint.CHECKPOINTS.set(0);
    ElapseTopology.Sources sources =
        new ElapseTopology.Sources(
            kafka.events().map(new FailOnceAfterCheckpoint(3_000)).name("fail-once"),
            kafka.elapsed(),
            kafka.labels(),
            kafka.modelUpdates());
    ElapseTopology.define(
        env,
        sources,
        ElapseJob.kafkaSinks(config),
        settings,
        new KafkaModelWarmStart(config, null, Duration.ofSeconds(5)));
    JobClient job = env.executeAsync("recovery");
    // Both source subtasks have completed two checkpoints before the stream arrives, so the
    // failure comes mid-stream, with committed output before it and uncommitted output at risk.
    assertThat(
            KafkaJobFixture.await(
                Duration.ofMinutes(2), () -> FailOnceAfterCheckpoint.CHECKPOINTS.get() >= 4))
        .as("two checkpoints completed on each source subtask")
        .isTrue();

    try (SyntheticProducer producer =
        new SyntheticProducer(new ElapseKafka(config).producerProperties())) {
      producer.send(stream, config.topics().events(), config.topics().labels(), 2_000, null);
    }
    int events = stream.events().size();
    int labels = stream.labels().size();

    boolean settled =
        KafkaJobFixture.await(
            Duration.ofMinutes(3),
            () -> {
              if (fixture.predictions(config).stream().count() < events) {
                return false;
              }
              long dead = labelDeadLetters(fixture.deadLetters(config));
              return latestLabelsApplied(fixture.modelUpdates(config)) + dead >= labels;
            });
    job.cancel().get();

    assertThat(FailOnceAfterCheckpoint.FAILED).as("the failure was injected").isTrue();
    assertThat(settled).as("all events predicted and all labels accounted for").isTrue();

    List<Prediction> predictions = fixture.predictions(config).stream().toList();
    Map<String, Long> perEvent =
        predictions.stream()
            .collect(
                Collectors.groupingBy(
                    p -> p.getEntityId() + "/" + p.getEventId(), Collectors.counting()));
    assertThat(perEvent).hasSize(events);
    assertThat(perEvent.values()).allMatch(n -> n == 1L);

    List<ModelUpdate> updates = fixture.modelUpdates(config);
    ModelUpdate last =
        updates.stream()
            .max(
                Comparator.comparing(
                    u -> u.getVersion().getEpoch() * 1_000_000_000L + u.getVersion().getStep()))
            .orElseThrow();
    assertThat(last.getVersion().getEpoch()).as("epoch raised by the restore").isEqualTo(2);
    long firstStepOfSecondEpoch =
        updates.stream()
            .filter(u -> u.getVersion().getEpoch() == 2)
            .mapToLong(u -> u.getVersion().getStep())
            .min()
            .orElseThrow();
    long firstStepOfFirstEpoch =
        updates.stream()
            .filter(u -> u.getVersion().getEpoch() == 1)
            .mapToLong(u -> u.getVersion().getStep())
            .min()
            .orElseThrow();
    assertThat(firstStepOfSecondEpoch)
        .as("the step continues from the checkpointed model, no reset to a cold start")
        .isGreaterThan(firstStepOfFirstEpoch + 1);

    List<DeadLetter> dead = fixture.deadLetters(config);
    long labelDead = labelDeadLetters(dead);
    assertThat(last.getStats().getLabelsApplied() + labelDead)
        .as("labels applied + dead-lettered = labels produced")
        .isEqualTo(labels);
  }

  private static long labelDeadLetters(List<DeadLetter> dead) {
    return dead.stream().filter(d -> d.getSourceTopic().endsWith("labels")).count();
  }

  private static long latestLabelsApplied(List<ModelUpdate> updates) {
    return updates.stream()
        .max(
            Comparator.comparing((ModelUpdate u) -> u.getVersion().getEpoch())
                .thenComparing(u -> u.getVersion().getStep()))
        .map(u -> u.getStats().getLabelsApplied())
        .orElse(0L);
  }
}
