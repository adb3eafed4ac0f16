package io.elapse.pipeline.config;

import io.elapse.model.config.LossConfig;
import io.elapse.model.config.ModelConfig;
import io.elapse.model.config.TimeModulation;
import io.elapse.model.config.TimeTransform;
import java.util.Arrays;
import java.util.Locale;

/** Maps the job's settings onto the model's own validated configuration. */
public final class ModelConfigs {

  private ModelConfigs() {}

  /** The model configuration the job's settings describe. */
  public static ModelConfig of(JobSettings s) {
    TimeModulation modulation;
    try {
      modulation = TimeModulation.valueOf(s.variant().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "elapse.model.variant: expected one of "
              + Arrays.toString(TimeModulation.values())
              + ", got '"
              + s.variant()
              + "'");
    }
    int k = s.tasks().size();
    float[] posWeight = new float[k];
    float[] taskWeight = new float[k];
    Arrays.fill(posWeight, (float) s.posWeight());
    Arrays.fill(taskWeight, 1f);
    return ModelConfig.builder()
        .modulation(modulation)
        .hiddenSize(s.hiddenSize())
        .embeddingDim(s.embeddingDim())
        .vocabularyBuckets(s.vocabularyBuckets())
        .numFeatures(s.numFeatures())
        .tasks(s.tasks())
        .windowSize(s.windowSize())
        .timeTransform(new TimeTransform(timeTransformKind(s), s.timeScaleMillis()))
        .loss(new LossConfig(posWeight, taskWeight, 0f, 0f))
        .gradClipNorm(s.gradClipNorm())
        .seed(s.seed())
        .build();
  }

  /** The kind of φ named by {@code elapse.model.time-transform}. */
  static TimeTransform.Kind timeTransformKind(JobSettings s) {
    try {
      return TimeTransform.Kind.valueOf(s.timeTransform().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "elapse.model.time-transform: expected one of "
              + Arrays.toString(TimeTransform.Kind.values()).toLowerCase(Locale.ROOT)
              + ", got '"
              + s.timeTransform()
              + "'");
    }
  }
}
