package io.elapse.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.DeadLetter;
import io.elapse.avro.ElapsedTime;
import io.elapse.avro.Event;
import io.elapse.avro.Label;
import io.elapse.avro.Prediction;
import io.elapse.connectors.AvroCodec;
import io.elapse.connectors.ElapseKafka;
import io.elapse.connectors.KafkaConfig;
import io.elapse.pipeline.ElapseJob;
import io.elapse.pipeline.TestSettings;
import io.elapse.pipeline.config.JobSettings;
import io.elapse.pipeline.synth.SyntheticProducer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, "Bad input": malformed records on every input topic go to dead letters with reasons; the
 * job keeps running and the valid records around them are all predicted.
 */
class ElapseJobBadInputTest {

  static final long T0 = 1_767_225_600_000L;
  static KafkaJobFixture fixture;

  @BeforeAll
  static void start() {
    fixture = new KafkaJobFixture();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  static Event event(String entity, int i, Long elapsed, List<Float> features) {
    return Event.newBuilder()
        .setEntityId(entity)
        .setEventId(entity + "-" + i)
        .setEventType("type-" + (i % 3))
        .setEventTime(Instant.ofEpochMilli(T0 + i * 1_000L))
        .setFeatures(features)
        .setElapsedMillis(elapsed)
        .build();
  }

  @Test
  void malformedRecordsOnEveryTopicBecomeDeadLettersAndValidOnesArePredicted() throws Exception {
    KafkaConfig config = fixture.topics("bad.", 2);
    JobSettings settings =
        TestSettings.forJobs(
            Map.of(
                "elapse.model.num-features", "2",
                // The default model size: its checkpoint state is above the 5 MB that in-memory
                // checkpoint storage allows (a defect this test would catch).
                "elapse.model.hidden-size", "64",
                "elapse.model.embedding-dim", "32",
                "elapse.model.vocabulary-buckets", "10000",
                "elapse.time.max-elapsed", "1 d",
                "elapse.time.max-event-wait", "1 s"));
    StreamExecutionEnvironment env = KafkaJobFixture.environment(settings);
    ElapseJob.define(env, config, settings, true);
    JobClient job = env.executeAsync("bad-input");

    var topics = config.topics();
    AvroCodec<Event> events = AvroCodec.of(Event.class);
    AvroCodec<Label> labels = AvroCodec.of(Label.class);
    AvroCodec<ElapsedTime> elapsed = AvroCodec.of(ElapsedTime.class);
    byte[] good = events.encode(event("x", 0, null, List.of(1f, 2f)));
    int valid = 0;
    try (SyntheticProducer p =
        new SyntheticProducer(new ElapseKafka(config).producerProperties())) {
      for (int i = 0; i < 40; i++) {
        String e = "e" + (i % 4);
        p.sendRaw(
            topics.events(),
            e,
            events.encode(event(e, i, null, List.of(0.5f, i * 0.1f))),
            T0 + i * 1_000L);
        valid++;
        switch (i % 8) {
          case 0 -> p.sendRaw(topics.events(), e, new byte[] {1, 2, 3, 4, 5}, T0);
          case 1 -> p.sendRaw(topics.events(), e, Arrays.copyOf(good, good.length - 3), T0);
          case 2 ->
              p.sendRaw(
                  topics.events(),
                  e,
                  events.encode(event(e, 1000 + i, null, List.of(Float.NaN, 1f))),
                  T0);
          case 3 ->
              p.sendRaw(
                  topics.events(), e, events.encode(event(e, 1000 + i, -5L, List.of(1f, 1f))), T0);
          case 4 ->
              p.sendRaw(
                  topics.events(),
                  e,
                  events.encode(event(e, 1000 + i, 10L * 86_400_000L, List.of(1f, 1f))),
                  T0);
          case 5 ->
              p.sendRaw(
                  topics.labels(),
                  e,
                  labels.encode(
                      Label.newBuilder()
                          .setEntityId(e)
                          .setEventId(e + "-" + i)
                          .setTargets(Map.of("a", 1.5))
                          .setLabelTime(Instant.ofEpochMilli(T0 + i * 1_000L))
                          .build()),
                  T0);
          case 6 ->
              p.sendRaw(
                  topics.labels(),
                  e,
                  labels.encode(
                      Label.newBuilder()
                          .setEntityId(e)
                          .setEventId(e + "-" + i)
                          .setTargets(Map.of("no_such_task", 1.0))
                          .setLabelTime(Instant.ofEpochMilli(T0 + i * 1_000L))
                          .build()),
                  T0);
          default -> {
            p.sendRaw(topics.elapsed(), e, elapsed.encode(new ElapsedTime(e, e + "-x", -1L)), T0);
            p.sendRaw(
                topics.labels(), e, new byte[] {(byte) 0xC3, 0x01, 9, 9, 9, 9, 9, 9, 9, 9, 0}, T0);
          }
        }
      }
      p.sendRaw(topics.model(), "model", new byte[] {(byte) 0xC3, 0x01, 0, 0}, T0);
      p.flush();
    }
    int expectedValid = valid;
    boolean done =
        KafkaJobFixture.await(
            Duration.ofMinutes(3),
            () ->
                fixture.predictions(config).size() >= expectedValid
                    && fixture.deadLetters(config).size() >= 46);
    String status = job.getJobStatus().get().toString();
    job.cancel().get();

    List<Prediction> predictions = fixture.predictions(config);
    List<DeadLetter> dead = fixture.deadLetters(config);
    Map<String, Long> byReason =
        dead.stream().collect(Collectors.groupingBy(DeadLetter::getReason, Collectors.counting()));
    assertThat(done)
        .as("job %s; %d predictions, dead letters %s", status, predictions.size(), byReason)
        .isTrue();
    assertThat(status).isEqualTo("RUNNING");
    Set<String> predicted =
        predictions.stream().map(Prediction::getEventId).collect(Collectors.toSet());
    assertThat(predicted).hasSize(expectedValid);
    assertThat(predicted).noneMatch(id -> id.matches(".*-10\\d\\d$"));
    assertThat(byReason)
        .containsEntry("undecodable", 11L) // 5 random bytes, 5 truncated events, 1 model update
        .containsEntry("unknown-schema", 5L) // labels with an unknown fingerprint
        .containsEntry("invalid-field", 10L) // NaN feature + target 1.5
        .containsEntry("invalid-elapsed", 15L) // negative, absurd, negative on the elapsed topic
        .containsEntry("unknown-task", 5L);
    assertThat(dead)
        .allSatisfy(
            d -> {
              assertThat(d.getSourceTopic()).startsWith("bad.");
              assertThat(d.getSourceOffset()).isGreaterThanOrEqualTo(0);
              assertThat(d.getMessage()).isNotBlank();
            });
    assertThat(dead.stream().filter(d -> d.getSourceTopic().equals(topics.model())).count())
        .as("the corrupt model update is a dead letter too")
        .isEqualTo(1);
  }
}
