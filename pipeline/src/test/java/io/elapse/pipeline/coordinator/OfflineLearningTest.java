package io.elapse.pipeline.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.Event;
import io.elapse.avro.Label;
import io.elapse.model.EntityState;
import io.elapse.model.LstmModel;
import io.elapse.model.StepResult;
import io.elapse.model.config.ModelConfig;
import io.elapse.model.metrics.Auc;
import io.elapse.model.train.GradientAccumulator;
import io.elapse.model.train.LabeledPosition;
import io.elapse.model.train.TbpttTrainer;
import io.elapse.model.train.TrainingResult;
import io.elapse.pipeline.TestSettings;
import io.elapse.pipeline.config.JobSettings;
import io.elapse.pipeline.config.ModelConfigs;
import io.elapse.pipeline.records.GradientBatch;
import io.elapse.pipeline.synth.SyntheticSpec;
import io.elapse.pipeline.synth.SyntheticStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The coordinator core with the model's trainer, driven in order without Flink: events in event
 * time, labels when their label time passes, one learner batch per 8 labels and one optimizer step
 * (one version) per 64 labels. Checks that this scheme learns the synthetic stream, so a failing
 * job test points at the job, not the learning scheme.
 */
class OfflineLearningTest {

  static double replay(String variant, SyntheticStream.Generated g, int tasks) {
    JobSettings s =
        TestSettings.small(
            Map.of(
                "elapse.model.variant", variant,
                "elapse.model.hidden-size", "16",
                "elapse.model.embedding-dim", "8",
                "elapse.model.tasks", String.join(";", SyntheticSpec.taskNames(tasks)),
                "elapse.model.window-size", "8",
                "elapse.train.learning-rate", "0.03"));
    ModelConfig config = ModelConfigs.of(s);
    CoordinatorCore core = CoordinatorCore.cold(s);
    TbpttTrainer trainer = new TbpttTrainer(config);
    LstmModel model = LstmModel.of(config, core.parameters());
    GradientAccumulator acc = new GradientAccumulator(model.layout());
    Map<String, EntityState> states = new HashMap<>();
    Map<String, Long> lastTime = new HashMap<>();
    Map<String, Long> seqOf = new HashMap<>();
    Map<String, float[]> logitsOf = new HashMap<>();
    List<double[]> scored = new ArrayList<>();
    int nextLabel = 0;
    int inBatch = 0;
    for (var ge : g.events()) {
      Event e = ge.event();
      long t = e.getEventTime().toEpochMilli();
      while (nextLabel < g.labels().size()
          && g.labels().get(nextLabel).label().getLabelTime().toEpochMilli() <= t) {
        var gl = g.labels().get(nextLabel++);
        Label l = gl.label();
        EntityState st = states.get(l.getEntityId());
        Long seq = seqOf.get(l.getEventId());
        if (st == null || seq == null || !st.inWindow(seq)) {
          continue;
        }
        float[] y = new float[tasks];
        Arrays.fill(y, Float.NaN);
        l.getTargets()
            .forEach((task, v) -> y[Integer.parseInt(task.substring(5))] = v.floatValue());
        if (gl.eventIndex() >= g.events().size() / 2) {
          for (int k = 0; k < tasks; k++) {
            if (!Float.isNaN(y[k])) {
              scored.add(new double[] {logitsOf.get(l.getEventId())[k], y[k]});
            }
          }
        }
        TrainingResult tr = trainer.gradient(model, st, List.of(new LabeledPosition(seq, y, 1f)));
        acc.add(tr);
        if (++inBatch % 8 == 0) {
          GradientBatch b = new GradientBatch();
          b.labels = 8;
          b.gradient = acc.sum().encode();
          b.lossSum = acc.lossSum();
          b.pairTask = new int[0];
          b.pairLogit = new float[0];
          b.pairTarget = new float[0];
          core.accept(b);
          acc.reset();
        }
        if (inBatch % 64 == 0 && core.applyPending()) {
          model = LstmModel.of(config, core.parameters());
        }
      }
      EntityState st = states.computeIfAbsent(e.getEntityId(), k -> EntityState.initial(config));
      Long last = lastTime.put(e.getEntityId(), t);
      StepResult r =
          st.step(model, model.input(e.getEventType(), null, last == null ? null : t - last));
      seqOf.put(e.getEventId(), r.sequence());
      logitsOf.put(e.getEventId(), r.logits());
    }
    double[] sc = new double[scored.size()];
    boolean[] y = new boolean[scored.size()];
    for (int i = 0; i < sc.length; i++) {
      sc[i] = scored.get(i)[0];
      y[i] = scored.get(i)[1] >= 0.5;
    }
    return Auc.exact(sc, y, sc.length);
  }

  @Test
  void oneStepPerVersionLearnsTheSyntheticStream() {
    SyntheticSpec spec =
        new SyntheticSpec(
            200,
            24_000,
            6,
            SyntheticSpec.taskNames(4),
            0.35,
            0.35,
            30_000,
            60_000,
            1_767_225_600_000L,
            false,
            11L);
    SyntheticStream.Generated g = new SyntheticStream(spec).generate();
    double decay = replay("DECAY", g, 4);
    double none = replay("NONE", g, 4);
    System.out.printf("offline prequential AUC (second half): DECAY %.4f NONE %.4f%n", decay, none);
    assertThat(decay).isGreaterThan(0.65);
    assertThat(none).isGreaterThan(0.65);
  }
}
