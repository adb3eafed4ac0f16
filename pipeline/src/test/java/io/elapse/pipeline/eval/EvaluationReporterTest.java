package io.elapse.pipeline.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.Evaluation;
import io.elapse.avro.ModelVersion;
import io.elapse.connectors.AvroRecordTypeInfo;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The reporter's periodic reports, counters, and exact continuation after a restore. */
class EvaluationReporterTest {

  static final List<String> TASKS = List.of("a", "b", "c");
  static final long INTERVAL = 1_000;
  static final EvaluationSettings SETTINGS =
      new EvaluationSettings(
          true, "test", INTERVAL, null, 60_000, 1_000, 4, 1_000, 2, 1.0, 0, 10_000);

  static OneInputStreamOperatorTestHarness<JoinUpdate, Evaluation> harness() throws Exception {
    var h =
        new OneInputStreamOperatorTestHarness<JoinUpdate, Evaluation>(
            new EvaluationReporter("test", TASKS, SETTINGS),
            TypeInformation.of(JoinUpdate.class).createSerializer(new SerializerConfigImpl()));
    h.setup(
        new AvroRecordTypeInfo<>(Evaluation.class).createSerializer(new SerializerConfigImpl()));
    return h;
  }

  static JoinUpdate joined(SplittableRandom rnd, long step) {
    JoinUpdate u = new JoinUpdate();
    u.probabilities = new double[] {rnd.nextDouble(), rnd.nextDouble(), rnd.nextDouble()};
    u.targets =
        new double[] {
          rnd.nextBoolean() ? 1.0 : 0.0, rnd.nextBoolean() ? Double.NaN : 1.0, rnd.nextDouble()
        };
    u.sets = new byte[] {1, 3, -1};
    u.labelDelayMillis = rnd.nextInt(10_000);
    u.modelEpoch = 1;
    u.modelStep = step;
    u.labels = 1;
    u.predictions = 2;
    return u;
  }

  static Evaluation lastReport(OneInputStreamOperatorTestHarness<JoinUpdate, Evaluation> h) {
    List<Evaluation> out = h.extractOutputValues();
    return out.get(out.size() - 1);
  }

  @Test
  void reportsEveryIntervalAndARestoredReporterContinuesExactly() throws Exception {
    SplittableRandom data = new SplittableRandom(9);
    List<JoinUpdate> first = new java.util.ArrayList<>();
    List<JoinUpdate> second = new java.util.ArrayList<>();
    for (int i = 0; i < 300; i++) {
      (i < 150 ? first : second).add(joined(data, i));
    }
    JoinUpdate counts = new JoinUpdate();
    counts.unmatchedLabels = 3;
    counts.unlabelledPredictions = 5;

    // Uninterrupted.
    Evaluation straight;
    try (var h = harness()) {
      h.open();
      for (JoinUpdate u : first) {
        h.processElement(u, 0);
      }
      h.processElement(counts, 0);
      for (JoinUpdate u : second) {
        h.processElement(u, 0);
      }
      assertThat(h.extractOutputValues()).isEmpty();
      h.setProcessingTime(INTERVAL);
      assertThat(h.extractOutputValues()).hasSize(1);
      straight = lastReport(h);
    }

    // Checkpointed after the first half, restored into a new reporter.
    OperatorSubtaskState state;
    try (var h = harness()) {
      h.open();
      for (JoinUpdate u : first) {
        h.processElement(u, 0);
      }
      h.processElement(counts, 0);
      state = h.snapshot(1L, 0L);
    }
    Evaluation restored;
    try (var h = harness()) {
      h.initializeState(state);
      h.open();
      for (JoinUpdate u : second) {
        h.processElement(u, 0);
      }
      h.setProcessingTime(INTERVAL);
      restored = lastReport(h);
    }

    assertThat(straight.getCounts().getJoinedLabels()).isEqualTo(300);
    assertThat(straight.getCounts().getPredictions()).isEqualTo(600);
    assertThat(straight.getCounts().getUnmatchedLabels()).isEqualTo(3);
    assertThat(straight.getCounts().getUnlabelledPredictions()).isEqualTo(5);
    assertThat(straight.getLatestModelVersion()).isEqualTo(new ModelVersion(1L, 299L));
    assertThat(straight.getOverall().getCount()).isPositive();
    // Everything but the wall-clock time is identical.
    assertThat(Evaluation.newBuilder(restored).setReportTime(straight.getReportTime()).build())
        .isEqualTo(straight);
  }

  @Test
  void theEndOfInputWritesAFinalReport() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processElement(joined(new SplittableRandom(1), 0), 0);
      h.endInput();
      h.prepareSnapshotPreBarrier(1L);
      assertThat(h.extractOutputValues()).isEmpty();
      h.getOperator().finish();
      assertThat(h.extractOutputValues())
          .singleElement()
          .satisfies(e -> assertThat(e.getCounts().getJoinedLabels()).isEqualTo(1));
    }
  }
}
