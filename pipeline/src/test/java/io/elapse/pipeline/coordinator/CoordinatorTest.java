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

  @Test
  void oneStepPerPublishTickAndTheEpochRisesOnRestore() throws Exception {
    var h = harness();
    h.open();
    h.setProcessingTime(0);
    h.processElement(new StreamRecord<>(batch()));
    h.processElement(new StreamRecord<>(batch()));
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
    h.processElement(new StreamRecord<>(batch()));
    OperatorSubtaskState snapshot = h.snapshot(1L, 1_100);
    h.close();

    var restored = harness();
    restored.initializeState(snapshot);
    restored.open();
    restored.setProcessingTime(2_000);
    restored.processElement(new StreamRecord<>(batch()));
    restored.setProcessingTime(4_000);
    List<ModelUpdate> after = restored.extractOutputValues();
    assertThat(after).hasSize(2);
    assertThat(after.get(0).getVersion().getEpoch()).as("raised by the restore").isEqualTo(2);
    assertThat(after.get(0).getVersion().getStep())
        .as("continues from the checkpoint; the batch pending at the snapshot is applied")
        .isEqualTo(2);
    assertThat(after.get(0).getStats().getLabelsApplied()).isEqualTo(3);
    assertThat(after.get(1).getVersion().getStep()).isEqualTo(3);
    assertThat(after.get(1).getStats().getLabelsApplied()).isEqualTo(4);
    restored.close();
  }
}
