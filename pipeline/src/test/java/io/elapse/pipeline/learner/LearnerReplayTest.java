package io.elapse.pipeline.learner;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.Event;
import io.elapse.avro.Label;
import io.elapse.avro.Prediction;
import io.elapse.avro.TaskPrediction;
import io.elapse.connectors.AvroRecordTypeInfo;
import io.elapse.model.metrics.Auc;
import io.elapse.pipeline.config.JobSettings;
import io.elapse.pipeline.coordinator.CoordinatorCore;
import io.elapse.pipeline.modelloop.ModelUpdates;
import io.elapse.pipeline.records.EntityInput;
import io.elapse.pipeline.records.GradientBatch;
import io.elapse.pipeline.records.ModelState;
import io.elapse.pipeline.synth.LearningComparison;
import io.elapse.pipeline.synth.SyntheticSpec;
import io.elapse.pipeline.synth.SyntheticStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The learner operator and the coordinator core, driven in stream order through a test harness with
 * one optimizer step per 64 labels, learn the synthetic stream as well as the model-level replay
 * ({@code OfflineLearningTest}). {@code staleVersions} delays every model version on its way back
 * to the learner; measured on the stream before its triggers stopped counting at their own event
 * (DECAY / NONE AUC): 0 versions 0.788 / 0.779, 1: 0.768 / 0.758, 2: 0.730 / 0.723, 3: 0.714 /
 * 0.704, 10: 0.553 / 0.512, hence the coordinator's bounded staleness ({@code
 * elapse.coordinator.max-staleness}). On {@link LearningComparison}'s stream (2026-12-04,
 * deterministic): TIME_GATE 0.813, DECAY 0.765, NONE 0.764, so the time gate's margin over NONE is
 * asserted here, where it does not depend on scheduling, and again through the whole job in {@code
 * ElapseJobLearningTest}. Over five more stream seeds and with one stale version the margin was
 * 0.018 to 0.072. On the earlier 45,000-event, 6-type stream (lr 0.03) the ranking depended on the
 * model's size (TIME_GATE / DECAY / NONE): H=16 0.798 / 0.754 / 0.751; H=32, E=16, W=16: 0.786 /
 * 0.790 / 0.760; H=64, E=32, W=32: 0.749 / 0.806 / 0.760; the job's defaults (H=64, E=32, W=32, lr
 * 0.005): 0.791 / 0.814 / 0.794.
 */
class LearnerReplayTest {

  static double replay(String variant, SyntheticStream.Generated g, int tasks, int staleVersions)
      throws Exception {
    JobSettings s = LearningComparison.settings(variant, Map.of());
    CoordinatorCore core = CoordinatorCore.cold(s);
    var harness =
        new KeyedTwoInputStreamOperatorTestHarness<String, EntityInput, ModelState, Prediction>(
            new LearnerOperator(s, false), in -> in.entityId, m -> "model", Types.STRING);
    harness.setup(
        new AvroRecordTypeInfo<>(Prediction.class).createSerializer(new SerializerConfigImpl()));
    harness.open();
    int nextLabel = 0;
    int applied = 0;
    int consumed = 0;
    List<ModelState> delayed = new ArrayList<>();
    for (var ge : g.events()) {
      Event e = ge.event();
      long t = e.getEventTime().toEpochMilli();
      while (nextLabel < g.labels().size()
          && g.labels().get(nextLabel).label().getLabelTime().toEpochMilli() <= t) {
        Label l = g.labels().get(nextLabel++).label();
        EntityInput in = new EntityInput();
        in.kind = EntityInput.LABEL;
        in.entityId = l.getEntityId().toString();
        in.eventId = l.getEventId().toString();
        in.time = l.getLabelTime().toEpochMilli();
        in.targets = new float[tasks];
        Arrays.fill(in.targets, Float.NaN);
        for (var te : l.getTargets().entrySet()) {
          in.targets[Integer.parseInt(te.getKey().toString().substring(5))] =
              te.getValue().floatValue();
        }
        harness.processElement1(new StreamRecord<>(in, in.time));
      }
      EntityInput in = new EntityInput();
      in.kind = EntityInput.EVENT;
      in.entityId = e.getEntityId().toString();
      in.eventId = e.getEventId().toString();
      in.time = t;
      in.eventType = e.getEventType().toString();
      harness.processElement1(new StreamRecord<>(in, t));
      harness.processWatermark1(new Watermark(t - 1));
      var out = harness.getSideOutput(LearnerOperator.GRADIENTS);
      if (out != null) {
        List<StreamRecord<GradientBatch>> batches = new ArrayList<>(out);
        out.clear();
        for (var b : batches) {
          core.accept(b.getValue());
          applied += b.getValue().labels;
        }
      }
      if (applied - consumed >= 64) {
        consumed = applied;
        if (core.applyPending()) {
          delayed.add(ModelUpdates.toState(core.toUpdate(0L), s));
          if (delayed.size() > staleVersions) {
            harness.processElement2(new StreamRecord<>(delayed.remove(0)));
          }
        }
      }
    }
    harness.processWatermark1(new Watermark(Long.MAX_VALUE - 1));
    List<Prediction> preds = harness.extractOutputValues();
    harness.close();
    Map<String, Prediction> byEvent = new HashMap<>();
    preds.forEach(p -> byEvent.put(p.getEventId().toString(), p));
    Map<String, Integer> index = new HashMap<>();
    for (var ge : g.events()) {
      index.put(ge.event().getEventId().toString(), ge.index());
    }
    List<double[]> scored = new ArrayList<>();
    for (var gl : g.labels()) {
      if (gl.eventIndex() < g.events().size() / 2) {
        continue;
      }
      Prediction p = byEvent.get(gl.label().getEventId().toString());
      if (p == null) {
        continue;
      }
      for (var te : gl.label().getTargets().entrySet()) {
        int k = Integer.parseInt(te.getKey().toString().substring(5));
        TaskPrediction tp = p.getTasks().get(k);
        scored.add(new double[] {tp.getLogit(), te.getValue()});
      }
    }
    double[] sc = new double[scored.size()];
    boolean[] y = new boolean[scored.size()];
    for (int i = 0; i < sc.length; i++) {
      sc[i] = scored.get(i)[0];
      y[i] = scored.get(i)[1] >= 0.5;
    }
    System.out.printf(
        "%s: %d predictions, step %d, %d scored%n", variant, preds.size(), core.step(), sc.length);
    return Auc.exact(sc, y, sc.length);
  }

  @Test
  void harnessReplayLearnsAndTheTimeGateBeatsThePlainCell() throws Exception {
    SyntheticSpec spec = LearningComparison.spec();
    SyntheticStream.Generated g = new SyntheticStream(spec).generate();
    double gate = replay("TIME_GATE", g, LearningComparison.TASKS, 0);
    double decay = replay("DECAY", g, LearningComparison.TASKS, 0);
    double none = replay("NONE", g, LearningComparison.TASKS, 0);
    System.out.printf(
        "harness replay AUC (second half): TIME_GATE %.4f DECAY %.4f NONE %.4f%n",
        gate, decay, none);
    assertThat(none).as("NONE learns").isGreaterThan(0.70);
    assertThat(decay).as("DECAY learns").isGreaterThan(0.70);
    assertThat(gate - none).as("TIME_GATE beats NONE").isGreaterThan(0.03);
  }
}
