package io.elapse.pipeline.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.ModelUpdate;
import io.elapse.connectors.AvroRecordTypeInfo;
import io.elapse.model.EntityState;
import io.elapse.model.LstmModel;
import io.elapse.model.train.GradientAccumulator;
import io.elapse.model.train.LabeledPosition;
import io.elapse.model.train.TbpttTrainer;
import io.elapse.pipeline.TestSettings;
import io.elapse.pipeline.config.JobSettings;
import io.elapse.pipeline.config.ModelConfigs;
import io.elapse.pipeline.modelloop.ModelIntegrity;
import io.elapse.pipeline.records.GradientBatch;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class CoordinatorTest {

  static final JobSettings S = TestSettings.small();

  /** A one-label batch computed against version ({@code epoch}, {@code step}). */
  static GradientBatch batch(long epoch, long step) {
    GradientBatch b = batch();
    b.epoch = epoch;
    b.step = step;
    return b;
  }

  static GradientBatch batch() {
    var config = ModelConfigs.of(S);
    LstmModel model = LstmModel.of(config, LstmModel.initialParameters(config, S.seed()));
    EntityState st = EntityState.initial(config);
    var r = st.step(model, model.input("a", null, null));
    var tr =
        new TbpttTrainer(config)
            .gradient(
                model,
                st,
                List.of(new LabeledPosition(r.sequence(), new float[] {1f, 0f, Float.NaN}, 1f)));
    GradientAccumulator acc = new GradientAccumulator(model.layout());
    acc.add(tr);
    GradientBatch b = new GradientBatch();
    b.labels = 1;
    b.gradient = acc.sum().encode();
    b.lossSum = acc.lossSum();
    b.pairTask = new int[] {0, 1};
    b.pairLogit = new float[] {tr.logits(0)[0], tr.logits(0)[1]};
    b.pairTarget = new float[] {1f, 0f};
    return b;
  }

  static KeyedOneInputStreamOperatorTestHarness<Integer, GradientBatch, ModelUpdate> harness()
      throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new Coordinator(S, ModelWarmStart.none())),
            b -> 0,
            Types.INT);
    h.setup(
        new AvroRecordTypeInfo<>(ModelUpdate.class).createSerializer(new SerializerConfigImpl()));
    return h;
  }

  static List<String> versions(List<ModelUpdate> updates) {
    return updates.stream()
        .map(u -> u.getVersion().getEpoch() + "." + u.getVersion().getStep())
        .toList();
  }

  @Test
  void oneStepPerPublishTickAndTheEpochRisesOnRestore() throws Exception {
    var h = harness();
    h.open();
    h.setProcessingTime(0);
    h.processElement(new StreamRecord<>(batch(1, 0)));
    h.processElement(new StreamRecord<>(batch(1, 0)));
    h.setProcessingTime(1_000);

    List<ModelUpdate> first = h.extractOutputValues();
    assertThat(first)
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.getVersion().getEpoch()).isEqualTo(1);
              assertThat(u.getVersion().getStep()).as("two batches, one step").isEqualTo(1);
              assertThat(u.getStats().getLabelsApplied()).isEqualTo(2);
              assertThat(ModelIntegrity.verify(u, null).ok()).isTrue();
            });

    // Stale synchronous parallel (max-staleness 0): a gradient of version 1.0 alone does not
    // move version 1.1; the step waits for one computed against 1.1.
    h.processElement(new StreamRecord<>(batch(1, 0)));
    h.setProcessingTime(2_000);
    assertThat(versions(h.extractOutputValues())).as("no step on stale gradients").hasSize(1);
    h.processElement(new StreamRecord<>(batch(1, 1)));
    h.setProcessingTime(3_000);
    assertThat(versions(h.extractOutputValues())).containsExactly("1.1", "1.2");
    assertThat(h.extractOutputValues().get(1).getStats().getLabelsApplied()).isEqualTo(4);

    // Only stale gradients: after staleness-wait (5 s) the coordinator steps with them anyway.
    h.processElement(new StreamRecord<>(batch(1, 0)));
    h.setProcessingTime(4_000);
    h.setProcessingTime(8_000);
    assertThat(versions(h.extractOutputValues())).hasSize(2);
    h.setProcessingTime(9_000);
    assertThat(versions(h.extractOutputValues())).containsExactly("1.1", "1.2", "1.3");

    h.processElement(new StreamRecord<>(batch(1, 3)));
    OperatorSubtaskState snapshot = h.snapshot(1L, 9_100);
    h.close();

    var restored = harness();
    restored.initializeState(snapshot);
    restored.open();
    restored.setProcessingTime(10_000);
    restored.processElement(new StreamRecord<>(batch(1, 3)));
    restored.setProcessingTime(11_000);
    // The new epoch is published at once, before any step: learners move to it, and only their
    // gradients of epoch 2 count as fresh.
    assertThat(versions(restored.extractOutputValues())).containsExactly("2.3");
    restored.processElement(new StreamRecord<>(batch(2, 3)));
    restored.setProcessingTime(12_000);
    List<ModelUpdate> after = restored.extractOutputValues();
    assertThat(versions(after)).containsExactly("2.3", "2.4");
    assertThat(after.get(1).getStats().getLabelsApplied())
        .as("the batch pending at the snapshot and both later ones")
        .isEqualTo(8);
    restored.close();
  }
}
