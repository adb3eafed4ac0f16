package io.elapse.pipeline.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.ConformalSet;
import io.elapse.avro.ElapsedSource;
import io.elapse.avro.Label;
import io.elapse.avro.ModelVersion;
import io.elapse.avro.Prediction;
import io.elapse.avro.TaskPrediction;
import io.elapse.model.calibration.PredictionSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The evaluator's keyed join: both arrival orders, bounds, counters, and state/timer cleanup. */
class EvaluationJoinOperatorTest {

  static final List<String> TASKS = List.of("a", "b", "c");
  static final long T0 = 1_000_000L;
  static final long HALF_A_SECOND_LATER = T0 + 500;
  static final long ONE_SECOND_LATER = T0 + 1_000;
  static final long RETENTION = 10_000;
  static final long LABEL_WAIT = 2_000;
  static final double NA = Double.NaN;

  private KeyedTwoInputStreamOperatorTestHarness<String, EvalPrediction, Label, JoinUpdate> harness;

  @BeforeEach
  void open() throws Exception {
    EvaluationSettings settings =
        new EvaluationSettings(
            true, "test", 1_000, null, RETENTION, LABEL_WAIT, 2, 1_000, 2, 1.0, 0, 10_000);
    harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new EvaluationJoinOperator(TASKS, settings),
            p -> p.entityId,
            Label::getEntityId,
            Types.STRING);
    harness.setup(
        TypeInformation.of(JoinUpdate.class).createSerializer(new SerializerConfigImpl()));
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  static Prediction prediction(String entity, String event, long eventTime, double... probs) {
    List<TaskPrediction> tasks = new ArrayList<>();
    for (int t = 0; t < probs.length; t++) {
      tasks.add(
          new TaskPrediction(
              TASKS.get(t), probs[t], Math.log(probs[t] / (1 - probs[t])), ConformalSet.ONE));
    }
    return Prediction.newBuilder()
        .setEntityId(entity)
        .setEventId(event)
        .setEventTime(Instant.ofEpochMilli(eventTime))
        .setModelVersion(new ModelVersion(2L, 7L))
        .setTasks(tasks)
        .setConfidence(1)
        .setElapsedSource(ElapsedSource.DERIVED)
        .setIngestTime(Instant.ofEpochMilli(eventTime))
        .setPredictTime(Instant.ofEpochMilli(eventTime))
        .setComputeNanos(1)
        .build();
  }

  static Label label(String entity, String event, long labelTime, Map<String, Double> targets) {
    return Label.newBuilder()
        .setEntityId(entity)
        .setEventId(event)
        .setTargets(targets)
        .setLabelTime(Instant.ofEpochMilli(labelTime))
        .build();
  }

  private void predict(Prediction p) throws Exception {
    // as Evaluator.attach does before the join
    harness.processElement1(
        EvalPrediction.of(p, EvaluationJoinOperator.taskIndex(TASKS)),
        p.getEventTime().toEpochMilli());
  }

  private void label(Label l) throws Exception {
    harness.processElement2(l, l.getLabelTime().toEpochMilli());
  }

  private void watermark(long t) throws Exception {
    harness.processBothWatermarks(new Watermark(t));
  }

  private List<JoinUpdate> joins() {
    return harness.extractOutputValues().stream().filter(JoinUpdate::isJoin).toList();
  }

  /** Every counter summed over the output. */
  private JoinUpdate totals() {
    JoinUpdate sum = new JoinUpdate();
    for (JoinUpdate u : harness.extractOutputValues()) {
      sum.predictions += u.predictions;
      sum.duplicatePredictions += u.duplicatePredictions;
      sum.labels += u.labels;
      sum.unmatchedLabels += u.unmatchedLabels;
      sum.unlabelledPredictions += u.unlabelledPredictions;
      sum.unknownTasks += u.unknownTasks;
    }
    return sum;
  }

  @Test
  void labelsJoinTheirPredictionWhicheverArrivesFirst() throws Exception {
    label(label("u1", "e1", HALF_A_SECOND_LATER, Map.of("a", 1.0)));
    assertThat(joins()).isEmpty();
    predict(prediction("u1", "e1", T0, 0.8, 0.3, 0.1));
    label(label("u1", "e1", ONE_SECOND_LATER, Map.of("b", 0.0, "c", 1.0)));

    List<JoinUpdate> joins = joins();
    assertThat(joins).hasSize(2);
    assertThat(joins.get(0).probabilities).containsExactly(0.8, 0.3, 0.1);
    assertThat(joins.get(0).targets).containsExactly(1.0, NA, NA);
    assertThat(joins.get(0).labelDelayMillis).isEqualTo(500);
    assertThat(joins.get(0).sets).containsOnly((byte) PredictionSet.ONE.ordinal());
    assertThat(joins.get(0).modelEpoch).isEqualTo(2L);
    assertThat(joins.get(0).modelStep).isEqualTo(7L);
    assertThat(joins.get(1).targets).containsExactly(NA, 0.0, 1.0);
    assertThat(joins.get(1).labelDelayMillis).isEqualTo(1_000);
    // The early label left the state when it joined; only the prediction is kept.
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
  }

  @Test
  void aPredictionLeavesAfterItsRetentionAndLaterLabelsCountAsUnmatched() throws Exception {
    predict(prediction("u1", "labelled", T0, 0.5, 0.5, 0.5));
    predict(prediction("u2", "never-labelled", T0, 0.5, 0.5, 0.5));
    label(label("u1", "labelled", ONE_SECOND_LATER, Map.of("a", 1.0)));
    assertThat(harness.numKeyedStateEntries()).isEqualTo(2);

    watermark(T0 + RETENTION);

    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
    label(label("u1", "labelled", T0 + RETENTION + 1, Map.of("b", 1.0)));
    // The label's state goes with the entity's next cleanup granule after its wait.
    watermark(T0 + RETENTION + 1 + LABEL_WAIT + LABEL_WAIT / EvaluationJoinOperator.GRANULES);

    JoinUpdate totals = totals();
    assertThat(totals.predictions).isEqualTo(2);
    assertThat(totals.labels).isEqualTo(2);
    assertThat(totals.unlabelledPredictions).isEqualTo(1);
    assertThat(totals.unmatchedLabels).isEqualTo(1);
    assertThat(joins()).hasSize(1);
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void anExpiredPredictionIsGoneForALaterLabelBeforeItsCleanupTimerFires() throws Exception {
    long eventTime = T0 + 100; // expires at T0 + RETENTION + 100, cleaned up at the next granule
    predict(prediction("u1", "e1", eventTime, 0.5, 0.5, 0.5));
    watermark(eventTime + RETENTION);
    assertThat(harness.numKeyedStateEntries()).as("not cleaned up yet").isEqualTo(1);

    label(label("u1", "e1", eventTime + RETENTION + 1, Map.of("a", 1.0)));

    assertThat(joins()).isEmpty();
    watermark(
        eventTime + RETENTION + 1 + LABEL_WAIT + LABEL_WAIT / EvaluationJoinOperator.GRANULES);
    assertThat(totals().unlabelledPredictions).isEqualTo(1);
    assertThat(totals().unmatchedLabels).isEqualTo(1);
    assertThat(harness.numKeyedStateEntries()).isZero();
  }

  @Test
  void aLabelWithoutPredictionWaitsThenCountsAsUnmatchedAndLeavesNoState() throws Exception {
    label(label("ghost", "none", T0, Map.of("a", 1.0)));
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    watermark(T0 + LABEL_WAIT - 1);
    assertThat(totals().unmatchedLabels).isZero();
    watermark(T0 + LABEL_WAIT);

    assertThat(totals().unmatchedLabels).isEqualTo(1);
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void waitingLabelsAreBoundedPerEvent() throws Exception {
    for (int i = 0; i < 5; i++) {
      label(label("u1", "e1", T0 + i, Map.of("a", 1.0)));
    }
    harness.prepareSnapshotPreBarrier(1L);
    assertThat(totals().unmatchedLabels).isEqualTo(3);
    predict(prediction("u1", "e1", T0, 0.9, 0.9, 0.9));
    assertThat(joins()).hasSize(2);
  }

  @Test
  void aDuplicatePredictionIsCountedAndTheFirstIsKept() throws Exception {
    predict(prediction("u1", "e1", T0, 0.9, 0.9, 0.9));
    predict(prediction("u1", "e1", T0, 0.1, 0.1, 0.1));
    label(label("u1", "e1", ONE_SECOND_LATER, Map.of("a", 0.0)));

    assertThat(joins())
        .singleElement()
        .satisfies(j -> assertThat(j.probabilities[0]).isEqualTo(0.9));
    harness.prepareSnapshotPreBarrier(1L);
    assertThat(totals().duplicatePredictions).isEqualTo(1);
    assertThat(totals().predictions).isEqualTo(2);
  }

  @Test
  void unknownAndUnpredictedTasksAreCountedAndLeftOut() throws Exception {
    Prediction twoTasks = prediction("u1", "e1", T0, 0.9, 0.2);
    twoTasks.getTasks().add(new TaskPrediction("z", 0.5, 0.0, ConformalSet.BOTH));
    predict(twoTasks);
    label(label("u1", "e1", ONE_SECOND_LATER, Map.of("a", 1.0, "c", 1.0, "y", 0.0)));

    JoinUpdate join = joins().get(0);
    assertThat(join.probabilities).containsExactly(0.9, 0.2, NA);
    assertThat(join.sets[2]).isEqualTo((byte) -1);
    // c has no probability in the prediction: not evaluable.
    assertThat(join.targets).containsExactly(1.0, NA, NA);
    harness.prepareSnapshotPreBarrier(1L);
    // z in the prediction, y in the label, c missing from the prediction.
    assertThat(totals().unknownTasks).isEqualTo(3);
  }

  @Test
  void countersAreFlushedBeforeACheckpointBarrierAndOnWatermarks() throws Exception {
    predict(prediction("u1", "e1", T0, 0.5, 0.5, 0.5));
    assertThat(harness.extractOutputValues()).isEmpty();
    harness.prepareSnapshotPreBarrier(1L);
    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.isJoin()).isFalse();
              assertThat(u.predictions).isEqualTo(1);
            });
    predict(prediction("u1", "e2", T0, 0.5, 0.5, 0.5));
    watermark(T0);
    assertThat(totals().predictions).isEqualTo(2);
  }
}
