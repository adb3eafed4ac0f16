package io.elapse.pipeline.learner;

import io.elapse.avro.ElapsedSource;
import io.elapse.avro.ModelVersion;
import io.elapse.avro.Prediction;
import io.elapse.avro.TaskPrediction;
import io.elapse.model.LstmModel;
import io.elapse.model.calibration.Confidence;
import io.elapse.model.calibration.PlattScaler;
import io.elapse.model.calibration.PredictionSet;
import io.elapse.model.config.ModelConfig;
import io.elapse.pipeline.ConformalSets;
import io.elapse.pipeline.config.JobSettings;
import io.elapse.pipeline.config.ModelConfigs;
import io.elapse.pipeline.records.EntityInput;
import io.elapse.pipeline.records.ModelState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The model version a learner subtask currently uses, and how it turns logits into a {@link
 * Prediction}: calibrated probabilities, conformal sets and the overall confidence, all from {@code
 * io.elapse.model.calibration}.
 */
final class Scorer {

  private final ModelConfig config;
  private final List<String> tasks;
  private ModelState current;
  private LstmModel model;

  Scorer(JobSettings settings, ModelState restoredOrNull) {
    this.config = ModelConfigs.of(settings);
    this.tasks = settings.tasks();
    install(restoredOrNull != null ? restoredOrNull : initialState(settings, 0, 0));
  }

  /**
   * The cold-start model every subtask and the coordinator agree on: seeded parameters, identity
   * calibration, and conformal thresholds of 1 (every set is {0,1} until calibrated).
   */
  static ModelState initialState(JobSettings settings, long epoch, long step) {
    ModelConfig c = ModelConfigs.of(settings);
    int k = c.numTasks();
    ModelState m = new ModelState();
    m.epoch = epoch;
    m.step = step;
    m.parameters = LstmModel.initialParameters(c, settings.seed());
    m.plattScale = filled(k, 1.0);
    m.plattBias = filled(k, 0.0);
    m.conformalThreshold = filled(k, 1.0);
    m.createdAt = System.currentTimeMillis();
    return m;
  }

  private static double[] filled(int n, double v) {
    double[] a = new double[n];
    Arrays.fill(a, v);
    return a;
  }

  void install(ModelState m) {
    this.model = LstmModel.of(config, m.parameters);
    this.current = m;
  }

  ModelState current() {
    return current;
  }

  LstmModel model() {
    return model;
  }

  ModelConfig config() {
    return config;
  }

  long epoch() {
    return current.epoch;
  }

  long step() {
    return current.step;
  }

  long stalenessMillis() {
    return System.currentTimeMillis() - current.createdAt;
  }

  Prediction predict(
      EntityInput event, float[] logits, Long elapsed, ElapsedSource source, long computeNanos) {
    int k = logits.length;
    PredictionSet[] sets = new PredictionSet[k];
    double[] probs = new double[k];
    List<TaskPrediction> out = new ArrayList<>(k);
    for (int t = 0; t < k; t++) {
      double p = PlattScaler.apply(current.plattScale[t], current.plattBias[t], logits[t]);
      probs[t] = p;
      sets[t] = PredictionSet.forThreshold(current.conformalThreshold[t], p);
      out.add(
          new TaskPrediction(tasks.get(t), p, (double) logits[t], ConformalSets.toAvro(sets[t])));
    }
    long now = System.currentTimeMillis();
    // The all-args constructor, in the schema's field order: the builder validated every field
    // on every call (its union check for elapsedMillis was half of this method's time).
    return new Prediction(
        event.entityId,
        event.eventId,
        Instant.ofEpochMilli(event.time),
        new ModelVersion(current.epoch, current.step),
        out,
        Confidence.overall(sets, probs),
        elapsed,
        source,
        Instant.ofEpochMilli(event.ingestTime > 0 ? event.ingestTime : now),
        Instant.ofEpochMilli(now),
        computeNanos);
  }
}
