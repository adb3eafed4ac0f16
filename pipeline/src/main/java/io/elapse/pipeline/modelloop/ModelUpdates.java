package io.elapse.pipeline.modelloop;

import io.elapse.avro.CellVariant;
import io.elapse.avro.ModelConfig;
import io.elapse.avro.ModelUpdate;
import io.elapse.avro.ModelVersion;
import io.elapse.avro.TaskCalibration;
import io.elapse.avro.TrainingStats;
import io.elapse.avro.UpdateKind;
import io.elapse.model.calibration.AdaptiveConformal;
import io.elapse.model.calibration.PlattScaler;
import io.elapse.model.calibration.TaskCalibrationState;
import io.elapse.model.io.ParameterCodec;
import io.elapse.pipeline.config.JobSettings;
import io.elapse.pipeline.records.ModelState;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds model updates from the coordinator's state, and verified updates back into state. */
public final class ModelUpdates {

  /** The parameter encoding of every update this version writes (the model's ParameterCodec). */
  public static final String PARAMETER_FORMAT = "elapse-params-v1";

  private ModelUpdates() {}

  /** The self-describing configuration of a job's model. */
  public static ModelConfig configOf(JobSettings s) {
    return ModelConfig.newBuilder()
        .setVariant(CellVariant.valueOf(s.variant()))
        .setHiddenSize(s.hiddenSize())
        .setEmbeddingDim(s.embeddingDim())
        .setVocabularyBuckets(s.vocabularyBuckets())
        .setNumFeatures(s.numFeatures())
        .setTasks(s.tasks())
        .setWindowSize(s.windowSize())
        .setTimeTransform(s.timeTransform())
        .setTimeScaleMillis(s.timeScaleMillis())
        .setProperties(
            Map.of(
                "optimizer", s.optimizer(),
                "learningRate", Double.toString(s.learningRate()),
                "gradClipNorm", Double.toString(s.gradClipNorm()),
                "posWeight", Double.toString(s.posWeight()),
                "seed", Long.toString(s.seed())))
        .build();
  }

  /** A sealed FULL snapshot (checksum, and HMAC when the job has a key). */
  public static ModelUpdate fullSnapshot(
      JobSettings s,
      long epoch,
      long step,
      long nowMillis,
      float[] params,
      PlattScaler platt,
      AdaptiveConformal conformal,
      long labelsApplied,
      long batches,
      double meanLoss,
      double gradNorm) {
    List<TaskCalibration> calibration = new ArrayList<>();
    List<TaskCalibrationState> states = TaskCalibrationState.publish(platt, conformal);
    for (int t = 0; t < states.size(); t++) {
      TaskCalibrationState c = states.get(t);
      calibration.add(
          new TaskCalibration(
              s.tasks().get(t),
              c.plattScale(),
              c.plattBias(),
              c.conformalAlpha(),
              c.conformalAlphaT(),
              c.conformalThreshold(),
              c.observations()));
    }
    ModelUpdate u =
        ModelUpdate.newBuilder()
            .setVersion(new ModelVersion(epoch, step))
            .setKind(UpdateKind.FULL)
            .setBaseVersion(null)
            .setCreatedAt(Instant.ofEpochMilli(nowMillis))
            .setConfig(configOf(s))
            .setParameterFormat(PARAMETER_FORMAT)
            .setParameters(ByteBuffer.wrap(ParameterCodec.encode(PARAMETER_FORMAT, params)))
            .setOptimizerState(null)
            .setCalibration(calibration)
            .setStats(
                new TrainingStats(labelsApplied, batches, meanLoss, Map.of("gradNorm", gradNorm)))
            .setChecksum(ByteBuffer.allocate(0))
            .setSignature(null)
            .build();
    return ModelIntegrity.seal(u, s.hmacKey());
  }

  /**
   * The learner-side state of a verified update.
   *
   * @throws IllegalArgumentException when the update's configuration does not match the job's, or
   *     it is not a FULL snapshot, or its parameters cannot be decoded
   */
  public static ModelState toState(ModelUpdate u, JobSettings s) {
    ModelConfig mine = configOf(s);
    ModelConfig theirs = u.getConfig();
    check("variant", mine.getVariant(), theirs.getVariant());
    check("hiddenSize", mine.getHiddenSize(), theirs.getHiddenSize());
    check("embeddingDim", mine.getEmbeddingDim(), theirs.getEmbeddingDim());
    check("vocabularyBuckets", mine.getVocabularyBuckets(), theirs.getVocabularyBuckets());
    check("numFeatures", mine.getNumFeatures(), theirs.getNumFeatures());
    check("tasks", mine.getTasks(), theirs.getTasks());
    check("windowSize", mine.getWindowSize(), theirs.getWindowSize());
    check("timeTransform", mine.getTimeTransform(), theirs.getTimeTransform());
    check("timeScaleMillis", mine.getTimeScaleMillis(), theirs.getTimeScaleMillis());
    if (u.getKind() != UpdateKind.FULL) {
      throw new IllegalArgumentException(
          "expected a FULL model update, got " + u.getKind() + " (deltas are not read yet)");
    }
    if (!PARAMETER_FORMAT.equals(u.getParameterFormat())) {
      throw new IllegalArgumentException(
          "parameterFormat: expected " + PARAMETER_FORMAT + ", got " + u.getParameterFormat());
    }
    byte[] bytes = new byte[u.getParameters().remaining()];
    u.getParameters().duplicate().get(bytes);
    float[] params;
    try {
      params = ParameterCodec.decode(bytes).params();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("parameters: " + e.getMessage(), e);
    }
    int k = s.tasks().size();
    if (u.getCalibration().size() != k) {
      throw new IllegalArgumentException(
          "calibration: expected " + k + " tasks, got " + u.getCalibration().size());
    }
    ModelState m = new ModelState();
    m.epoch = u.getVersion().getEpoch();
    m.step = u.getVersion().getStep();
    m.parameters = params;
    m.plattScale = new double[k];
    m.plattBias = new double[k];
    m.conformalThreshold = new double[k];
    for (int t = 0; t < k; t++) {
      TaskCalibration c = u.getCalibration().get(t);
      m.plattScale[t] = c.getPlattScale();
      m.plattBias[t] = c.getPlattBias();
      m.conformalThreshold[t] = c.getConformalThreshold();
    }
    m.createdAt = u.getCreatedAt().toEpochMilli();
    return m;
  }

  private static void check(String field, Object expected, Object actual) {
    if (!expected.equals(actual)) {
      throw new IllegalArgumentException(
          "model update does not match this job: "
              + field
              + " expected "
              + expected
              + ", got "
              + actual);
    }
  }
}
