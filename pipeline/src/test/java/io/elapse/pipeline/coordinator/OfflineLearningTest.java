package io.elapse.pipeline.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.Event;
import io.elapse.avro.Label;
import io.elapse.model.EntityState;
import io.elapse.model.LstmModel;
import io.elapse.model.StepResult;
import io.elapse.model.calibration.PlattScaler;
import io.elapse.model.metrics.Auc;
import io.elapse.model.train.GradientAccumulator;
import io.elapse.model.train.LabeledPosition;
import io.elapse.model.train.TbpttTrainer;
import io.elapse.model.train.TrainingResult;
import io.elapse.pipeline.TestSettings;
import io.elapse.pipeline.config.JobSettings;
import io.elapse.pipeline.config.ModelConfigs;
import io.elapse.pipeline.modelloop.ModelUpdates;
import io.elapse.pipeline.records.GradientBatch;
import io.elapse.pipeline.records.ModelState;
import io.elapse.pipeline.synth.SyntheticSpec;
import io.elapse.pipeline.synth.SyntheticStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The coordinator core and the model's trainer learn the synthetic stream when driven in order,
 * without Flink: a check of the glue (gradient batches, optimizer step, calibration pairs).
 */
class OfflineLearningTest {

  record Result(double rawAuc, double calibratedAuc) {}

  static Result replay(String variant) {
    JobSettings s =
        TestSettings.small(
            Map.of(
                "elapse.model.variant", variant,
                "elapse.model.hidden-size", "16",
                "elapse.model.embedding-dim", "8",
                "elapse.model.tasks", "task_00;task_01;task_02;task_03",
                "elapse.model.window-size", "8",
                "elapse.train.learning-rate", "0.01"));
    SyntheticStream.Generated g =
        new SyntheticStream(
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
                    11L))
            .generate();
    var config = ModelConfigs.of(s);
    CoordinatorCore core = CoordinatorCore.cold(s);
    TbpttTrainer trainer = new TbpttTrainer(config);
    Map<String, EntityState> states = new HashMap<>();
    Map<String, Long> lastTime = new HashMap<>();
    Map<String, Long> seqOf = new HashMap<>();
    Map<String, float[]> logitsOf = new HashMap<>();
    Map<String, double[]> probsOf = new HashMap<>();
    List<Label> labelsByEvent = new ArrayList<>();
    Map<Integer, List<Label>> labelsAt = new HashMap<>();
    for (var gl : g.labels()) {
      labelsAt.computeIfAbsent(gl.eventIndex(), k -> new ArrayList<>()).add(gl.label());
    }
    ModelState current = ModelUpdates.toState(core.toUpdate(0), s);
    LstmModel model = LstmModel.of(config, current.parameters);
    GradientAccumulator acc = new GradientAccumulator(model.layout());
    List<double[]> raw = new ArrayList<>();
    List<double[]> cal = new ArrayList<>();
    int batchLabels = 0;
    List<Integer> pt = new ArrayList<>();
    List<Float> pl = new ArrayList<>();
    List<Float> py = new ArrayList<>();
    List<int[]> pairTask = new ArrayList<>();
    for (var ge : g.events()) {
      Event e = ge.event();
      String id = e.getEntityId();
      EntityState st = states.computeIfAbsent(id, k -> EntityState.initial(config));
      Long last = lastTime.get(id);
      long t = e.getEventTime().toEpochMilli();
      var in = model.input(e.getEventType(), null, last == null ? null : t - last);
      lastTime.put(id, t);
      StepResult r = st.step(model, in);
      st = EntityState.decode(config, st.encode());
      states.put(id, st);
      seqOf.put(e.getEventId(), r.sequence());
      logitsOf.put(e.getEventId(), r.logits());
      double[] probs = new double[r.logits().length];
      for (int k = 0; k < probs.length; k++) {
        probs[k] = PlattScaler.apply(current.plattScale[k], current.plattBias[k], r.logits()[k]);
      }
      probsOf.put(e.getEventId(), probs);
      // Labels of this event arrive right away (no delay) in this offline replay.
      for (Label l : labelsAt.getOrDefault(ge.index(), List.of())) {
        float[] y = new float[4];
        java.util.Arrays.fill(y, Float.NaN);
        l.getTargets()
            .forEach((task, v) -> y[Integer.parseInt(task.substring(5))] = v.floatValue());
        if (ge.index() >= g.events().size() / 2) {
          for (int k = 0; k < 4; k++) {
            if (!Float.isNaN(y[k])) {
              raw.add(new double[] {logitsOf.get(l.getEventId())[k], y[k]});
              cal.add(new double[] {probsOf.get(l.getEventId())[k], y[k]});
            }
          }
        }
        TrainingResult tr =
            trainer.gradient(model, st, List.of(new LabeledPosition(r.sequence(), y, 1f)));
        acc.add(tr);
        batchLabels++;
        for (int k = 0; k < 4; k++) {
          if (!Float.isNaN(y[k])) {
            pt.add(k);
            pl.add(tr.logits(0)[k]);
            py.add(y[k]);
          }
        }
        if (batchLabels == 8) {
          GradientBatch b = new GradientBatch();
          b.labels = batchLabels;
          b.gradient = acc.sum().encode();
          b.lossSum = acc.lossSum();
          b.pairTask = pt.stream().mapToInt(Integer::intValue).toArray();
          b.pairLogit = new float[pl.size()];
          b.pairTarget = new float[py.size()];
          for (int q = 0; q < pl.size(); q++) {
            b.pairLogit[q] = pl.get(q);
            b.pairTarget[q] = py.get(q);
          }
          pt.clear();
          pl.clear();
          py.clear();
          core.apply(b);
          acc.reset();
          batchLabels = 0;
          current = ModelUpdates.toState(core.toUpdate(0), s);
          model = LstmModel.of(config, current.parameters);
        }
      }
    }
    System.out.println(
        variant
            + " final calibration task0: a="
            + current.plattScale[0]
            + " b="
            + current.plattBias[0]);
    return new Result(auc(raw), auc(cal));
  }

  static double auc(List<double[]> pairs) {
    double[] sc = new double[pairs.size()];
    boolean[] y = new boolean[pairs.size()];
    for (int i = 0; i < sc.length; i++) {
      sc[i] = pairs.get(i)[0];
      y[i] = pairs.get(i)[1] >= 0.5;
    }
    return Auc.exact(sc, y, sc.length);
  }

  @Test
  void coordinatorCoreLearnsTheSyntheticStream() {
    Result decay = replay("DECAY");
    Result none = replay("NONE");
    System.out.printf(
        "offline AUC raw/calibrated: DECAY %.4f/%.4f NONE %.4f/%.4f%n",
        decay.rawAuc(), decay.calibratedAuc(), none.rawAuc(), none.calibratedAuc());
    assertThat(decay.rawAuc()).isGreaterThan(0.6);
  }
}
