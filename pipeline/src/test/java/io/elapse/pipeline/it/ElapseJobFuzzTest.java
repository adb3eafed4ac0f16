package io.elapse.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.DeadLetter;
import io.elapse.avro.ElapsedTime;
import io.elapse.avro.Event;
import io.elapse.avro.Label;
import io.elapse.avro.ModelUpdate;
import io.elapse.avro.ModelVersion;
import io.elapse.avro.Prediction;
import io.elapse.connectors.AvroCodec;
import io.elapse.connectors.ElapseKafka;
import io.elapse.connectors.KafkaConfig;
import io.elapse.connectors.ReasonCodes;
import io.elapse.pipeline.ElapseJob;
import io.elapse.pipeline.TestSettings;
import io.elapse.pipeline.cli.ElapseCli;
import io.elapse.pipeline.config.JobSettings;
import io.elapse.pipeline.coordinator.CoordinatorCore;
import io.elapse.pipeline.modelloop.ModelIntegrity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, "Fuzzing": over 10,000 seeded malformed records on every input topic (events, elapsed,
 * labels, the model topic), interleaved with valid events and labels, against the whole job on a
 * MiniCluster (parallelism 2) and a real broker. The job stays up; every bad record is exactly one
 * dead letter with the reason its defect calls for; every valid event is predicted exactly once;
 * tampered model updates (bad checksum, unsigned, wrong key) are rejected by the job (dead letter
 * and the {@code modelUpdatesRejected} metric) and by {@code ./elapse model inspect}.
 */
class ElapseJobFuzzTest {

  static final long SEED = 20_261_203L;
  static final String KEY = "fuzz-signing-key";
  static final int ENTITIES = 40;
  static final int VALID_EVENTS = 2_000;
  static final int BAD_RECORDS = 10_400;
  static final int HUGE_EACH = 3;
  static final long T0 = (System.currentTimeMillis() - 3_600_000L) / 1000 * 1000;

  /** Event times of the valid stream start here. */
  static final long START = T0 + 60_000;

  static KafkaJobFixture fixture;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    fixture = new KafkaJobFixture();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** One record to send and what the job must make of it. */
  record Planned(
      String topic, String key, byte[] value, long timestamp, String expect, String kind) {}

  private final Random rnd = new Random(SEED);
  private final AvroCodec<Event> events = AvroCodec.of(Event.class);
  private final AvroCodec<Label> labels = AvroCodec.of(Label.class);
  private final AvroCodec<ElapsedTime> elapsed = AvroCodec.of(ElapsedTime.class);
  private final AvroCodec<ModelUpdate> models = AvroCodec.of(ModelUpdate.class);

  /** Expected reason for valid records: none, or (valid labels) possibly "expired". */
  static final String VALID = "valid";

  static final String VALID_LABEL = "valid-label";

  @Test
  void tenThousandMalformedRecordsAreDeadLettersWithTheirReasonAndValidEventsArePredictedOnce()
      throws Exception {
    KafkaConfig config = fixture.topics("fuzz.", 2);
    var topics = config.topics();
    JobSettings settings =
        TestSettings.forJobs(
            Map.of(
                "elapse.model.num-features", "2",
                "elapse.model.window-size", "16",
                "elapse.time.max-elapsed", "1 d",
                "elapse.time.max-event-wait", "1 s",
                "elapse.state.pending-label-wait", "2 s",
                "elapse.coordinator.hmac-key", KEY));
    CapturingReporter.clear();
    Configuration base = new Configuration();
    CapturingReporter.configure(base);
    StreamExecutionEnvironment env = KafkaJobFixture.environment(settings, base);
    ElapseJob.define(env, config, settings, true);
    JobClient job = env.executeAsync("fuzz");

    // ---- the plan: valid events in per-entity order, bad records shuffled in between
    List<Planned> valid = new ArrayList<>();
    Map<String, List<String>> eventIdsByEntity = new HashMap<>();
    for (int i = 0; i < VALID_EVENTS; i++) {
      String entity = "e" + (i % ENTITIES);
      long t = START + i * 50L;
      Event e = event(entity, entity + "-" + i, t, List.of(rnd.nextFloat(), rnd.nextFloat()));
      if (i % 401 == 0) {
        // A valid event with a 200 kB event type: large but legal, so predicted.
        e = Event.newBuilder(e).setEventType("huge-type-" + "x".repeat(200_000)).build();
      }
      valid.add(new Planned(topics.events(), entity, events.encode(e), t, VALID, "valid-event"));
      eventIdsByEntity.computeIfAbsent(entity, k -> new ArrayList<>()).add(e.getEventId());
      if (i % 10 == 5) {
        Label l = label(entity, e.getEventId(), t + 500, Map.of("a", 1.0, "c", 0.0), null);
        valid.add(
            new Planned(topics.labels(), entity, labels.encode(l), t + 500, VALID_LABEL, "label"));
      }
    }
    List<Planned> bad = new ArrayList<>();
    ModelUpdate signed = CoordinatorCore.cold(settings).toUpdate(1_000L);
    Map<String, Supplier<Planned>> generators = generators(topics, signed);
    // A few of each huge kind (hundreds of kB to 2 MB each), the rest round-robin.
    List<String> kinds = new ArrayList<>();
    for (String kind : generators.keySet()) {
      if (kind.contains("huge")) {
        for (int i = 0; i < HUGE_EACH; i++) {
          bad.add(generators.get(kind).get());
        }
      } else {
        kinds.add(kind);
      }
    }
    for (int i = 0; bad.size() < BAD_RECORDS; i++) {
      bad.add(generators.get(kinds.get(i % kinds.size())).get());
    }
    Collections.shuffle(bad, rnd);
    List<Planned> plan = new ArrayList<>(valid.size() + bad.size());
    int b = 0;
    for (int v = 0; v < valid.size(); v++) {
      plan.add(valid.get(v));
      int until = (int) ((long) bad.size() * (v + 1) / valid.size());
      while (b < until) {
        plan.add(bad.get(b++));
      }
    }

    // ---- send, remembering where each record landed
    Map<String, Object> props = new HashMap<>();
    new ElapseKafka(config).producerProperties().forEach((k, v) -> props.put("" + k, v));
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(8 << 20));
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    List<Future<RecordMetadata>> sent = new ArrayList<>(plan.size());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      for (Planned p : plan) {
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    p.topic(),
                    null,
                    p.timestamp(),
                    p.key() == null ? null : p.key().getBytes(StandardCharsets.UTF_8),
                    p.value())));
      }
      producer.flush();
    }
    Map<String, Planned> byOrigin = new HashMap<>();
    for (int i = 0; i < plan.size(); i++) {
      RecordMetadata m = sent.get(i).get();
      byOrigin.put(origin(m.topic(), m.partition(), m.offset()), plan.get(i));
    }

    // ---- wait for every valid event's prediction and every bad record's dead letter
    long validEvents = plan.stream().filter(p -> p.expect().equals(VALID)).count();
    Set<String> validIds = new HashSet<>();
    eventIdsByEntity.values().forEach(validIds::addAll);
    boolean done;
    List<Prediction> predictions;
    List<DeadLetter> dead;
    try (TopicCollector<Prediction> p =
            new TopicCollector<>(config, topics.predictions(), Prediction.class);
        TopicCollector<DeadLetter> d =
            new TopicCollector<>(config, topics.deadLetters(), DeadLetter.class)) {
      done =
          KafkaJobFixture.await(
              Duration.ofMinutes(3),
              () ->
                  p.poll(50).stream().filter(x -> validIds.contains(x.getEventId())).count()
                          >= validEvents
                      && d.poll(50).size() >= BAD_RECORDS);
      // Two more completed checkpoints, so one began after the condition held: anything extra (a
      // duplicate) is committed and visible by then.
      long checkpoints = CapturingReporter.gaugeMax("numberOfCompletedCheckpoints");
      assertThat(checkpoints).as("the job reports its completed checkpoints").isNotNegative();
      KafkaJobFixture.await(
          Duration.ofMinutes(1),
          () -> CapturingReporter.gaugeMax("numberOfCompletedCheckpoints") >= checkpoints + 2);
      predictions = new ArrayList<>(p.drain());
      dead = new ArrayList<>(d.drain());
    }
    String status = job.getJobStatus().get().toString();
    long rejectedMetric = CapturingReporter.sum("modelUpdatesRejected");
    boolean metricRegistered = CapturingReporter.registered("modelUpdatesRejected");
    job.cancel().get();

    // ---- the job stayed up
    Map<String, Long> byReason =
        dead.stream().collect(Collectors.groupingBy(DeadLetter::getReason, Collectors.counting()));
    assertThat(done)
        .as("job %s; %d predictions, dead letters %s", status, predictions.size(), byReason)
        .isTrue();
    assertThat(status).isEqualTo("RUNNING");

    // ---- every valid event predicted exactly once, nothing else predicted
    List<String> predicted = predictions.stream().map(Prediction::getEventId).toList();
    assertThat(predicted).hasSize(VALID_EVENTS).doesNotHaveDuplicates();
    assertThat(new HashSet<>(predicted)).isEqualTo(validIds);

    // ---- every bad record is exactly one dead letter with its reason; valid ones are not
    Map<String, List<DeadLetter>> deadByOrigin =
        dead.stream()
            .collect(
                Collectors.groupingBy(
                    x -> origin(x.getSourceTopic(), x.getSourcePartition(), x.getSourceOffset())));
    Map<String, Long> expectedByKind = new TreeMap<>();
    Map<String, Long> wrong = new TreeMap<>();
    for (var entry : byOrigin.entrySet()) {
      Planned p = entry.getValue();
      List<DeadLetter> got = deadByOrigin.getOrDefault(entry.getKey(), List.of());
      String what;
      if (p.expect().equals(VALID)) {
        what = got.isEmpty() ? null : "valid event dead-lettered: " + got.get(0).getReason();
      } else if (p.expect().equals(VALID_LABEL)) {
        what =
            got.isEmpty() || got.size() == 1 && got.get(0).getReason().equals(ReasonCodes.EXPIRED)
                ? null
                : "valid label dead-lettered: " + reasons(got);
      } else {
        expectedByKind.merge(p.kind() + " -> " + p.expect(), 1L, Long::sum);
        what =
            got.size() == 1 && got.get(0).getReason().equals(p.expect())
                ? null
                : p.kind() + ": expected [" + p.expect() + "], got " + reasons(got);
      }
      if (what != null) {
        wrong.merge(what, 1L, Long::sum);
      }
    }
    long expiredValidLabels =
        byOrigin.entrySet().stream()
            .filter(x -> x.getValue().expect().equals(VALID_LABEL))
            .filter(x -> deadByOrigin.containsKey(x.getKey()))
            .count();
    System.out.printf(
        "fuzz: %d records sent (%d bad, %d valid events, %d valid labels of which %d expired);"
            + " dead letters by reason %s; modelUpdatesRejected %d; bad records by kind %s%n",
        plan.size(),
        bad.size(),
        validEvents,
        plan.stream().filter(x -> x.expect().equals(VALID_LABEL)).count(),
        expiredValidLabels,
        new TreeMap<>(byReason),
        rejectedMetric,
        expectedByKind);
    assertThat(wrong)
        .as("records whose outcome is wrong (kinds sent: %s)", expectedByKind)
        .isEmpty();
    assertThat(bad).hasSizeGreaterThanOrEqualTo(10_000);
    assertThat(dead)
        .allSatisfy(
            x -> {
              assertThat(ReasonCodes.ALL).contains(x.getReason());
              assertThat(byOrigin)
                  .containsKey(
                      origin(x.getSourceTopic(), x.getSourcePartition(), x.getSourceOffset()));
              assertThat(x.getMessage()).isNotBlank();
            });

    // ---- model integrity: the job counted every rejected model record in its metric
    long badModel = bad.stream().filter(p -> p.topic().equals(topics.model())).count();
    assertThat(metricRegistered).isTrue();
    assertThat(rejectedMetric).isEqualTo(badModel);

    // ---- and `./elapse model inspect` with the key reports the tampered updates too
    long integrity =
        bad.stream()
            .filter(p -> p.topic().equals(topics.model()))
            .filter(p -> p.expect().equals(ReasonCodes.INTEGRITY))
            .count();
    Path keyFile = Files.writeString(dir.resolve("key"), KEY + "\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = ElapseCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code =
        cli.execute(
            "model",
            "inspect",
            "--bootstrap-servers",
            fixture.kafka.bootstrapServers(),
            "--topic-prefix",
            "fuzz.",
            "--hmac-key-file",
            keyFile.toString());
    long incompatible =
        bad.stream().filter(p -> p.expect().equals(ReasonCodes.INCOMPATIBLE_MODEL)).count();
    // Every tampered or undecodable record is reported; none of the tampered ones (all versioned
    // 1000.x and above) passes for the newest verified version (the job's 1.x, or a well-signed
    // update of another configuration at 0.x, which only the job can tell apart).
    assertThat(code).as(err.toString()).isZero();
    assertThat(err.toString())
        .contains(
            integrity
                + " failing the integrity check, "
                + (badModel - integrity - incompatible)
                + " undecodable; newest verified version: ")
        .containsPattern("newest verified version: [01]\\.");
  }

  // ------------------------------------------------------------------ generators

  /** One generator per kind of malformed record, each with the reason the job must give. */
  private Map<String, Supplier<Planned>> generators(
      io.elapse.connectors.ElapseTopics topics, ModelUpdate signed) {
    Map<String, Supplier<Planned>> g = new LinkedHashMap<>();
    String ev = topics.events();
    String lb = topics.labels();
    String el = topics.elapsed();
    String md = topics.model();
    // Any topic: bytes that are not Avro, nothing, half a record, a foreign fingerprint.
    for (String topic : List.of(ev, lb, el, md)) {
      String t = topic.substring(topic.indexOf('.') + 1);
      g.put(t + ":random-bytes", () -> bad(topic, randomBytes(1, 400), ReasonCodes.UNDECODABLE));
      g.put(t + ":truncated", () -> bad(topic, truncate(validFor(topic, signed)), "undecodable"));
      g.put(
          t + ":trailing-garbage",
          () -> bad(topic, concat(validFor(topic, signed), randomBytes(1, 20)), "undecodable"));
      g.put(
          t + ":unknown-fingerprint",
          () -> bad(topic, refingerprint(validFor(topic, signed)), ReasonCodes.UNKNOWN_SCHEMA));
      g.put(
          t + ":wrong-type",
          () ->
              bad(
                  topic,
                  topic.equals(ev) ? labels.encode(validLabelForGhost()) : events.encode(ghost()),
                  ReasonCodes.WRONG_TYPE));
    }
    g.put("events:empty", () -> bad(ev, new byte[0], ReasonCodes.EMPTY));
    g.put("labels:null", () -> bad(lb, null, ReasonCodes.EMPTY));
    // Events: fields the contract forbids.
    g.put(
        "events:non-finite-feature",
        () -> {
          float f =
              switch (rnd.nextInt(3)) {
                case 0 -> Float.NaN;
                case 1 -> Float.POSITIVE_INFINITY;
                default -> Float.NEGATIVE_INFINITY;
              };
          List<Float> fs = rnd.nextBoolean() ? List.of(f, 1f) : List.of(0.5f, f);
          return bad(ev, events.encode(known(fs, null)), ReasonCodes.INVALID_FIELD);
        });
    g.put(
        "events:feature-count",
        () ->
            bad(
                ev,
                events.encode(known(rnd.nextBoolean() ? List.of(1f) : List.of(1f, 2f, 3f), null)),
                ReasonCodes.INVALID_FIELD));
    g.put(
        "events:empty-entity",
        () -> {
          Event e = Event.newBuilder(known(List.of(1f, 1f), null)).setEntityId("").build();
          return bad(ev, events.encode(e), ReasonCodes.INVALID_FIELD);
        });
    g.put(
        "events:negative-elapsed",
        () ->
            bad(
                ev,
                events.encode(known(List.of(1f, 1f), -1L - rnd.nextInt(1_000_000))),
                ReasonCodes.INVALID_ELAPSED));
    g.put(
        "events:absurd-elapsed",
        () ->
            bad(
                ev,
                events.encode(
                    known(
                        List.of(1f, 1f),
                        rnd.nextBoolean()
                            ? Long.MAX_VALUE
                            : 86_400_001L + (long) (rnd.nextDouble() * 1e12))),
                ReasonCodes.INVALID_ELAPSED));
    g.put(
        "events:huge-strings-and-nan",
        () -> {
          // 250 kB ids and type around a NaN: the dead letter must still fit its topic.
          Event e =
              Event.newBuilder(known(List.of(Float.NaN, 1f), null))
                  .setEventType("t".repeat(250_000))
                  .setEventId("i".repeat(250_000))
                  .build();
          return bad(ev, events.encode(e), ReasonCodes.INVALID_FIELD);
        });
    // Elapsed times: negative, absurd, or for an event that never comes.
    g.put(
        "elapsed:negative",
        () ->
            bad(
                el,
                elapsed.encode(new ElapsedTime("e1", "e1-x", -1L - rnd.nextInt(1000))),
                ReasonCodes.INVALID_ELAPSED));
    g.put(
        "elapsed:absurd",
        () ->
            bad(
                el,
                elapsed.encode(new ElapsedTime("e2", "e2-x", Long.MAX_VALUE - rnd.nextInt(1000))),
                ReasonCodes.INVALID_ELAPSED));
    g.put(
        "elapsed:unknown-event",
        () -> {
          String entity = "ghost-" + rnd.nextLong();
          return bad(
              el,
              elapsed.encode(new ElapsedTime(entity, entity + "-1", 1_000L)),
              ReasonCodes.UNKNOWN_EVENT);
        });
    // Labels: targets outside [0,1], unknown tasks, bad weights, unknown entities and events.
    g.put(
        "labels:target-out-of-range",
        () -> {
          double v =
              switch (rnd.nextInt(5)) {
                case 0 -> 1.0 + rnd.nextDouble() * 10;
                case 1 -> -rnd.nextDouble() - 1e-9;
                case 2 -> Double.NaN;
                case 3 -> Double.POSITIVE_INFINITY;
                default -> Double.NEGATIVE_INFINITY;
              };
          return bad(
              lb,
              labels.encode(label("e3", "e3-0", labelTime(), Map.of("b", v), null)),
              ReasonCodes.INVALID_FIELD);
        });
    g.put(
        "labels:unknown-task",
        () ->
            bad(
                lb,
                labels.encode(
                    label("e4", "e4-0", labelTime(), Map.of("task-" + rnd.nextInt(), 1.0), null)),
                ReasonCodes.UNKNOWN_TASK));
    g.put(
        "labels:bad-weight",
        () -> {
          double w =
              switch (rnd.nextInt(3)) {
                case 0 -> -1.0;
                case 1 -> Double.NaN;
                default -> Double.POSITIVE_INFINITY;
              };
          return bad(
              lb,
              labels.encode(label("e5", "e5-0", labelTime(), Map.of("a", 1.0), w)),
              ReasonCodes.INVALID_FIELD);
        });
    g.put(
        "labels:unknown-entity",
        () -> bad(lb, labels.encode(validLabelForGhost()), ReasonCodes.UNKNOWN_EVENT));
    g.put(
        "labels:huge-unknown-event",
        () -> {
          // A 600 kB event id for an entity never seen: the message naming it must stay bounded.
          String entity = "ghost-" + rnd.nextLong();
          return bad(
              lb,
              labels.encode(
                  label(entity, "z".repeat(600_000), labelTime(), Map.of("a", 1.0), null)),
              ReasonCodes.UNKNOWN_EVENT);
        });
    // The model topic: tampered, unsigned, wrongly signed, huge garbage.
    g.put(
        "model:tampered-parameters",
        () -> bad(md, models.encode(tampered(versioned(signed))), ReasonCodes.INTEGRITY));
    g.put(
        "model:unsigned",
        () ->
            bad(
                md,
                models.encode(ModelIntegrity.seal(versioned(signed), null)),
                ReasonCodes.INTEGRITY));
    g.put(
        "model:wrong-key",
        () ->
            bad(
                md,
                models.encode(ModelIntegrity.seal(versioned(signed), "not-the-key")),
                ReasonCodes.INTEGRITY));
    ModelUpdate otherModel =
        CoordinatorCore.cold(
                TestSettings.small(
                    Map.of(
                        "elapse.model.num-features", "2",
                        "elapse.model.hidden-size", "12",
                        "elapse.coordinator.hmac-key", KEY)))
            .toUpdate(1_000L);
    g.put(
        "model:incompatible",
        () ->
            bad(
                md,
                models.encode(
                    ModelIntegrity.seal(
                        ModelUpdate.newBuilder(otherModel)
                            .setVersion(new ModelVersion(0L, (long) rnd.nextInt(1000)))
                            .build(),
                        KEY)),
                ReasonCodes.INCOMPATIBLE_MODEL));
    g.put(
        "model:huge-garbage",
        () -> bad(md, randomBytes(2 << 20, 2 << 20), ReasonCodes.UNDECODABLE));
    return g;
  }

  private Planned bad(String topic, byte[] value, String reason) {
    String key = topic.endsWith(".model") ? "fuzz-model" : "k" + rnd.nextInt(ENTITIES);
    long ts = topic.endsWith(".elapsed") ? labelTime() : START + rnd.nextInt(60_000);
    return new Planned(topic, key, value, ts, reason, kindOf(topic, reason));
  }

  private static String kindOf(String topic, String reason) {
    return topic.substring(topic.indexOf('.') + 1) + "/" + reason;
  }

  /** Early enough that the valid stream's watermark passes it plus the pending wait. */
  private long labelTime() {
    return START + rnd.nextInt(30_000);
  }

  private byte[] validFor(String topic, ModelUpdate signed) {
    if (topic.endsWith(".events")) {
      return events.encode(known(List.of(1f, 2f), null));
    } else if (topic.endsWith(".labels")) {
      return labels.encode(validLabelForGhost());
    } else if (topic.endsWith(".elapsed")) {
      return elapsed.encode(new ElapsedTime("ghost", "ghost-1", 10L));
    }
    return models.encode(signed);
  }

  private Event known(List<Float> features, Long elapsedMillis) {
    String entity = "e" + rnd.nextInt(ENTITIES);
    return event(entity, entity + "-bad-" + rnd.nextInt(), START, features, elapsedMillis);
  }

  private Event ghost() {
    return event("ghost-" + rnd.nextLong(), "g-1", START, List.of(1f, 1f));
  }

  private Label validLabelForGhost() {
    String entity = "ghost-" + rnd.nextLong();
    return label(entity, entity + "-1", labelTime(), Map.of("a", 1.0), null);
  }

  private ModelUpdate versioned(ModelUpdate u) {
    return ModelUpdate.newBuilder(u)
        .setVersion(new ModelVersion(1_000L + rnd.nextInt(1000), (long) rnd.nextInt(1000)))
        .build();
  }

  private ModelUpdate tampered(ModelUpdate u) {
    ModelUpdate sealed = ModelIntegrity.seal(u, KEY);
    byte[] p = new byte[sealed.getParameters().remaining()];
    sealed.getParameters().duplicate().get(p);
    p[rnd.nextInt(p.length)] ^= (byte) (1 + rnd.nextInt(255));
    return ModelUpdate.newBuilder(sealed).setParameters(ByteBuffer.wrap(p)).build();
  }

  private byte[] randomBytes(int min, int max) {
    byte[] b = new byte[min + rnd.nextInt(max - min + 1)];
    rnd.nextBytes(b);
    if (b[0] == (byte) 0xC3) {
      b[0] = 0x00; // not the single-object marker: plain garbage
    }
    return b;
  }

  private byte[] truncate(byte[] valid) {
    return Arrays.copyOf(valid, 1 + rnd.nextInt(valid.length - 1));
  }

  private byte[] refingerprint(byte[] valid) {
    byte[] b = valid.clone();
    for (int i = 2; i < 10; i++) {
      b[i] = (byte) rnd.nextInt(256);
    }
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static Event event(String entity, String eventId, long time, List<Float> features) {
    return event(entity, eventId, time, features, null);
  }

  static Event event(
      String entity, String eventId, long time, List<Float> features, Long elapsedMillis) {
    return Event.newBuilder()
        .setEntityId(entity)
        .setEventId(eventId)
        .setEventType("type-" + Math.floorMod(eventId.hashCode(), 5))
        .setEventTime(Instant.ofEpochMilli(time))
        .setFeatures(features)
        .setElapsedMillis(elapsedMillis)
        .build();
  }

  static Label label(
      String entity, String eventId, long time, Map<String, Double> targets, Double weight) {
    return Label.newBuilder()
        .setEntityId(entity)
        .setEventId(eventId)
        .setTargets(targets)
        .setSampleWeight(weight)
        .setLabelTime(Instant.ofEpochMilli(time))
        .build();
  }

  static String origin(String topic, int partition, long offset) {
    return topic + "/" + partition + "@" + offset;
  }

  private static String reasons(List<DeadLetter> got) {
    return got.stream().map(DeadLetter::getReason).toList().toString();
  }
}
