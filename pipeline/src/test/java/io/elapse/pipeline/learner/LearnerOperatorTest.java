package io.elapse.pipeline.learner;

import static io.elapse.pipeline.Inputs.elapsed;
import static io.elapse.pipeline.Inputs.event;
import static io.elapse.pipeline.Inputs.label;
import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.DeadLetter;
import io.elapse.avro.ElapsedSource;
import io.elapse.avro.Prediction;
import io.elapse.connectors.AvroRecordTypeInfo;
import io.elapse.pipeline.TestSettings;
import io.elapse.pipeline.config.JobSettings;
import io.elapse.pipeline.records.EntityInput;
import io.elapse.pipeline.records.GradientBatch;
import io.elapse.pipeline.records.ModelState;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LearnerOperatorTest {

  static final long T0 = 1_000_000L;
  static final long ONE_SECOND_LATER = T0 + 1_000;
  static final long TWO_SECONDS_LATER = T0 + 2_000;
  static final float M = Float.NaN;

  private KeyedTwoInputStreamOperatorTestHarness<String, EntityInput, ModelState, Prediction>
      harness;

  private KeyedTwoInputStreamOperatorTestHarness<String, EntityInput, ModelState, Prediction> open(
      JobSettings settings, boolean elapsedTopic) throws Exception {
    harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new LearnerOperator(settings, elapsedTopic),
            in -> in.entityId,
            m -> "model",
            Types.STRING);
    harness.setup(
        new AvroRecordTypeInfo<>(Prediction.class).createSerializer(new SerializerConfigImpl()));
    harness.open();
    return harness;
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private List<Prediction> predictions() {
    return harness.extractOutputValues();
  }

  private List<DeadLetter> deadLetters() {
    var out = harness.getSideOutput(LearnerOperator.DEAD_LETTERS);
    return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
  }

  private List<GradientBatch> batches() {
    var out = harness.getSideOutput(LearnerOperator.GRADIENTS);
    return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void eventIsPredictedOnceTheWatermarkPassesIt() throws Exception {
    open(TestSettings.small(), false);
    EntityInput e1 = event("u1", "e1", T0, "login");
    e1.ingestTime = T0 + 7;
    long before = System.currentTimeMillis();
    harness.processElement1(new StreamRecord<>(e1, T0));
    assertThat(predictions()).isEmpty();

    harness.processWatermark1(new Watermark(T0));

    assertThat(predictions()).hasSize(1);
    Prediction p = predictions().get(0);
    assertThat(p.getEntityId()).isEqualTo("u1");
    assertThat(p.getEventId()).isEqualTo("e1");
    assertThat(p.getEventTime().toEpochMilli()).isEqualTo(T0);
    assertThat(p.getIngestTime().toEpochMilli()).isEqualTo(T0 + 7);
    assertThat(p.getPredictTime().toEpochMilli()).isBetween(before, System.currentTimeMillis());
    assertThat(p.getElapsedMillis()).isNull();
    assertThat(p.getComputeNanos()).isPositive();
    assertThat(p.getConfidence()).isBetween(0.0, 1.0);
    assertThat(p.getTasks()).hasSize(3);
    assertThat(p.getTasks())
        .allSatisfy(t -> assertThat(t.getProbability()).isStrictlyBetween(0.0, 1.0));
    assertThat(p.getModelVersion().getEpoch()).isZero();
    assertThat(p.getElapsedSource()).isEqualTo(ElapsedSource.FIRST);
  }

  @Test
  void aLearnerThatWarmsUpItsKernelsFirstPredictsAsOneThatDoesNot() throws Exception {
    open(TestSettings.small(Map.of("elapse.learner.warm-up", "50 ms")), false);
    harness.processElement1(new StreamRecord<>(event("u1", "e1", T0, "login"), T0));
    harness.processWatermark1(new Watermark(T0));
    List<Double> warmed =
        predictions().get(0).getTasks().stream().map(t -> t.getProbability()).toList();
    harness.close();

    open(TestSettings.small(), false);
    harness.processElement1(new StreamRecord<>(event("u1", "e1", T0, "login"), T0));
    harness.processWatermark1(new Watermark(T0));

    // The warm-up only reads the model: the same first prediction, bit for bit.
    assertThat(predictions().get(0).getTasks().stream().map(t -> t.getProbability()).toList())
        .isEqualTo(warmed);
  }

  @Test
  void anEventNeverWaitsLongerThanTheMaximumWaitWhenTheWatermarkStalls() throws Exception {
    open(TestSettings.small(Map.of("elapse.time.max-event-wait", "2 s")), false);
    harness.setProcessingTime(0);
    harness.processElement1(new StreamRecord<>(event("u1", "e2", T0 + 50, "b"), T0 + 50));
    harness.processElement1(new StreamRecord<>(event("u1", "e1", T0, "a"), T0));
    harness.setProcessingTime(1_000);
    assertThat(predictions()).isEmpty();

    harness.setProcessingTime(2_200);

    assertThat(predictions()).extracting(Prediction::getEventId).containsExactly("e1", "e2");
    harness.processElement1(new StreamRecord<>(event("u1", "e0", T0 - 10, "a"), T0 - 10));
    harness.setProcessingTime(5_000);
    assertThat(deadLetters())
        .singleElement()
        .satisfies(d -> assertThat(d.getReason()).isEqualTo("late"));
  }

  @Test
  void theMaximumWaitOfAnEventTheWatermarkPassedDoesNotTakeTheEntitysLaterEvents()
      throws Exception {
    open(TestSettings.small(Map.of("elapse.time.max-event-wait", "2 s")), false);
    harness.setProcessingTime(0);
    harness.processElement1(new StreamRecord<>(event("u1", "e1", T0, "a"), T0));
    harness.processWatermark1(new Watermark(T0));
    harness.setProcessingTime(1_500);
    harness.processElement1(new StreamRecord<>(event("u1", "e2", T0 + 50, "b"), T0 + 50));

    harness.setProcessingTime(2_200); // e1's deadline: e2 has waited 0.7 s of its 2 s

    assertThat(predictions()).extracting(Prediction::getEventId).containsExactly("e1");
    harness.setProcessingTime(3_600); // e2's own deadline
    assertThat(predictions()).extracting(Prediction::getEventId).containsExactly("e1", "e2");
  }

  @Test
  void bufferedEventsRestoredFromACheckpointStillWaitAtMostTheMaximumWait() throws Exception {
    JobSettings settings = TestSettings.small(Map.of("elapse.time.max-event-wait", "2 s"));
    open(settings, false);
    harness.setProcessingTime(0);
    harness.processElement1(new StreamRecord<>(event("u1", "e1", T0, "a"), T0));
    harness.processElement1(new StreamRecord<>(event("u2", "e2", T0, "b"), T0));
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();

    harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new LearnerOperator(settings, false), in -> in.entityId, m -> "model", Types.STRING);
    harness.setup(
        new AvroRecordTypeInfo<>(Prediction.class).createSerializer(new SerializerConfigImpl()));
    harness.setProcessingTime(10_000);
    harness.initializeState(snapshot);
    harness.open();
    harness.setProcessingTime(11_000);
    assertThat(predictions()).isEmpty();

    harness.setProcessingTime(12_100); // restored at 10 s: the wait ends by 12.1 s

    assertThat(predictions())
        .extracting(Prediction::getEventId)
        .containsExactlyInAnyOrder("e1", "e2");
  }

  @Test
  void eventsAreProcessedInEventTimeOrderAndElapsedIsDerived() throws Exception {
    open(TestSettings.small(), false);
    harness.processElement1(
        new StreamRecord<>(event("u1", "e2", TWO_SECONDS_LATER, "b"), TWO_SECONDS_LATER));
    harness.processElement1(new StreamRecord<>(event("u1", "e1", T0, "a"), T0));
    harness.processWatermark1(new Watermark(TWO_SECONDS_LATER));

    assertThat(predictions()).extracting(Prediction::getEventId).containsExactly("e1", "e2");
    Prediction second = predictions().get(1);
    assertThat(second.getElapsedSource()).isEqualTo(ElapsedSource.DERIVED);
    assertThat(second.getElapsedMillis()).isEqualTo(2_000L);
  }

  @Test
  void eventBehindTheWatermarkGoesToDeadLettersAsLate() throws Exception {
    open(TestSettings.small(), false);
    harness.processWatermark1(new Watermark(TWO_SECONDS_LATER));
    harness.processElement1(new StreamRecord<>(event("u1", "e1", T0, "a"), T0));

    assertThat(predictions()).isEmpty();
    assertThat(deadLetters())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getReason()).isEqualTo("late");
              assertThat(d.getSourceTopic()).isEqualTo("events");
              assertThat(d.getEntityId()).isEqualTo("u1");
            });
  }

  @Test
  void labelInsideTheWindowIsAppliedAndFlushedBeforeTheCheckpointBarrier() throws Exception {
    open(TestSettings.small(), false);
    harness.processElement1(new StreamRecord<>(event("u1", "e1", T0, "a"), T0));
    harness.processWatermark1(new Watermark(T0));
    harness.processElement1(
        new StreamRecord<>(label("u1", "e1", ONE_SECOND_LATER, 1f, M, 0f), ONE_SECOND_LATER));
    assertThat(batches()).isEmpty();

    harness.prepareSnapshotPreBarrier(1L);

    assertThat(batches())
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.labels).isEqualTo(1);
              assertThat(b.labelsPresent).isEqualTo(2);
              assertThat(b.pairTask).containsExactly(0, 2);
              assertThat(b.pairTarget).containsExactly(1f, 0f);
              assertThat(b.gradient).isNotEmpty();
              assertThat(b.lossSum).isPositive();
            });
    assertThat(deadLetters()).isEmpty();
  }

  @Test
  void labelForAnEventThatLeftTheWindowGoesToDeadLettersAsExpired() throws Exception {
    open(TestSettings.small(), false); // W = 4
    for (int i = 0; i < 6; i++) {
      harness.processElement1(new StreamRecord<>(event("u1", "e" + i, T0 + i, "a"), T0 + i));
    }
    harness.processWatermark1(new Watermark(T0 + 5));
    harness.processElement1(new StreamRecord<>(label("u1", "e0", T0 + 10, 1f, 1f, 1f), T0 + 10));

    assertThat(deadLetters())
        .singleElement()
        .satisfies(d -> assertThat(d.getReason()).isEqualTo("expired"));
    harness.prepareSnapshotPreBarrier(1L);
    assertThat(batches()).isEmpty();
  }

  @Test
  void labelThatArrivesBeforeItsEventWaitsAndIsApplied() throws Exception {
    open(TestSettings.small(), false);
    harness.processElement1(new StreamRecord<>(label("u1", "e1", T0, 0f, 0f, 1f), T0));
    harness.processElement1(new StreamRecord<>(event("u1", "e1", T0 + 10, "a"), T0 + 10));
    harness.processWatermark1(new Watermark(T0 + 10));
    harness.prepareSnapshotPreBarrier(1L);

    assertThat(batches()).singleElement().satisfies(b -> assertThat(b.labels).isEqualTo(1));
    assertThat(deadLetters()).isEmpty();
  }

  @Test
  void anEntityWhoseOnlyEventsAreRejectedKeepsNoState() throws Exception {
    open(TestSettings.small(Map.of("elapse.time.max-event-wait", "2 s")), false);
    harness.setProcessingTime(0);
    EntityInput first = event("u9", "e1", T0, "a");
    first.features = new float[] {1f}; // the model takes no features
    EntityInput second = event("u9", "e2", T0 + 10, "a");
    second.features = new float[] {2f};
    harness.processElement1(new StreamRecord<>(first, T0));
    harness.processElement1(new StreamRecord<>(second, T0 + 10));

    harness.processWatermark1(new Watermark(T0)); // the first through the watermark
    harness.setProcessingTime(2_200); // the second through the maximum wait

    assertThat(deadLetters())
        .extracting(DeadLetter::getReason)
        .containsExactly("invalid-field", "invalid-field");
    assertThat(harness.numKeyedStateEntries()).isZero();
  }

  @Test
  void labelForAnUnknownEventBecomesADeadLetterAndItsStateIsCleared() throws Exception {
    open(TestSettings.small(), false); // pending-label-wait = 1 s
    harness.processElement1(new StreamRecord<>(label("ghost", "nope", T0, 1f, M, M), T0));
    assertThat(harness.numKeyedStateEntries()).isPositive();

    harness.processWatermark1(new Watermark(T0 + 1_000));

    assertThat(deadLetters())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getReason()).isEqualTo("unknown-event");
              assertThat(d.getSourceTopic()).isEqualTo("labels");
            });
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void idleEntityStateAndTimersAreClearedAfterTheTimeToLive() throws Exception {
    open(TestSettings.small(), false); // entity TTL = 10 s
    harness.processElement1(new StreamRecord<>(event("u1", "e1", T0, "a"), T0));
    harness.processWatermark1(new Watermark(T0));
    assertThat(harness.numKeyedStateEntries()).isPositive();

    // checked at the TTL rounded up to a sixteenth of it (625 ms)
    harness.processWatermark1(new Watermark(T0 + 10_000 - 1));
    assertThat(harness.numKeyedStateEntries()).isPositive();
    harness.processWatermark1(new Watermark(T0 + 10_000 + 625));

    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void anActiveEntityHoldsABoundedNumberOfTimersNotOnePerEvent() throws Exception {
    open(TestSettings.small(), false); // entity TTL = 10 s, no out-of-orderness
    for (int i = 0; i < 400; i++) {
      long t = T0 + i * 50L; // 400 events over 20 s, two TTLs
      harness.processElement1(new StreamRecord<>(event("u1", "e" + i, t, "a"), t));
      harness.processWatermark1(new Watermark(t));
    }

    assertThat(predictions()).hasSize(400);
    // expiry checks at most one per 625 ms granule of the last TTL, plus the newest event's
    assertThat(harness.numEventTimeTimers()).isBetween(1, LearnerOperator.TTL_GRANULES + 2);
    assertThat(harness.numKeyedStateEntries()).isPositive();
  }

  @Test
  void elapsedTimeFromTheElapsedStreamIsJoinedAndMissingOnesFallBackToEventTimes()
      throws Exception {
    open(TestSettings.small(), true); // join wait = 100 ms
    harness.processElement1(new StreamRecord<>(event("u1", "e1", T0, "a"), T0));
    harness.processElement1(new StreamRecord<>(event("u1", "e2", T0 + 500, "a"), T0 + 500));
    harness.processElement1(new StreamRecord<>(event("u1", "e3", T0 + 900, "a"), T0 + 900));
    harness.processElement1(new StreamRecord<>(elapsed("u1", "e2", T0 + 510, 480L), T0 + 510));
    harness.processWatermark1(new Watermark(T0 + 1_000));

    Map<String, Prediction> byId =
        predictions().stream().collect(Collectors.toMap(Prediction::getEventId, p -> p));
    assertThat(byId.get("e2").getElapsedSource()).isEqualTo(ElapsedSource.STREAM);
    assertThat(byId.get("e2").getElapsedMillis()).isEqualTo(480L);
    assertThat(byId.get("e3").getElapsedSource()).isEqualTo(ElapsedSource.DERIVED);
    assertThat(byId.get("e3").getElapsedMillis()).isEqualTo(400L);
  }

  @Test
  void onlyNewerModelVersionsAreInstalled() throws Exception {
    JobSettings s = TestSettings.small();
    open(s, false);
    harness.processElement2(new StreamRecord<>(Scorer.initialState(s, 3, 7)));
    harness.processElement2(new StreamRecord<>(Scorer.initialState(s, 3, 5)));
    harness.processElement2(new StreamRecord<>(Scorer.initialState(s, 2, 99)));
    harness.processElement1(new StreamRecord<>(event("u1", "e1", T0, "a"), T0));
    harness.processWatermark1(new Watermark(T0));

    assertThat(predictions())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getModelVersion().getEpoch()).isEqualTo(3);
              assertThat(p.getModelVersion().getStep()).isEqualTo(7);
            });
  }

  @Test
  void theModelInputDoesNotHoldBackEventTime() throws Exception {
    open(TestSettings.small(), false);
    harness.processElement1(new StreamRecord<>(event("u1", "e1", T0, "a"), T0));
    harness.processWatermark1(new Watermark(T0));
    // No watermark ever arrives on input 2.
    assertThat(predictions()).hasSize(1);
  }

  @Test
  void eventsAfterTheSourcesWereIdleAreNotLate() throws Exception {
    // A job started on empty topics: its sources go idle before the first record arrives.
    open(TestSettings.small(), false);
    harness.processWatermarkStatus1(WatermarkStatus.IDLE);
    harness.processWatermarkStatus1(WatermarkStatus.ACTIVE);
    harness.processElement1(new StreamRecord<>(event("u1", "e1", T0, "a"), T0));
    harness.processWatermark1(new Watermark(T0));

    assertThat(deadLetters()).isEmpty();
    assertThat(predictions()).extracting(Prediction::getEventId).containsExactly("e1");
  }
}
