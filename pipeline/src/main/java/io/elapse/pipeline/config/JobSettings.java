package io.elapse.pipeline.config;

import java.io.Serializable;
import java.util.List;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The job's settings as one serializable value, read once from the Flink configuration and shipped
 * to the operators. Model-side values are turned into the model's own config by {@link
 * ModelConfigs}.
 */
public record JobSettings(
    String variant,
    int hiddenSize,
    int embeddingDim,
    int vocabularyBuckets,
    int numFeatures,
    List<String> tasks,
    int windowSize,
    String timeTransform,
    long timeScaleMillis,
    long seed,
    String optimizer,
    double learningRate,
    double gradClipNorm,
    double posWeight,
    int batchLabels,
    long batchMaxWaitMillis,
    long publishIntervalMillis,
    int maxStaleness,
    long stalenessWaitMillis,
    String hmacKey,
    String warmStartFile,
    double conformalAlpha,
    double conformalGamma,
    long maxOutOfOrdernessMillis,
    long sourceIdlenessMillis,
    long maxEventWaitMillis,
    long elapsedJoinWaitMillis,
    long maxElapsedMillis,
    long pendingLabelWaitMillis,
    int pendingLabelMax,
    long entityTtlMillis,
    long checkpointIntervalMillis,
    String checkpointDir,
    String stateBackend,
    int parallelism,
    long warmUpMillis)
    implements Serializable {

  /** Reads every {@link ElapseOptions} value from {@code conf}, defaults where unset. */
  public static JobSettings from(ReadableConfig conf) {
    return new JobSettings(
        conf.get(ElapseOptions.MODEL_VARIANT).trim().toUpperCase(java.util.Locale.ROOT),
        conf.get(ElapseOptions.MODEL_HIDDEN),
        conf.get(ElapseOptions.MODEL_EMBEDDING),
        conf.get(ElapseOptions.MODEL_BUCKETS),
        conf.get(ElapseOptions.MODEL_FEATURES),
        List.copyOf(conf.get(ElapseOptions.MODEL_TASKS)),
        conf.get(ElapseOptions.MODEL_WINDOW),
        conf.get(ElapseOptions.MODEL_TIME_TRANSFORM).trim().toLowerCase(java.util.Locale.ROOT),
        conf.get(ElapseOptions.MODEL_TIME_SCALE).toMillis(),
        conf.get(ElapseOptions.MODEL_SEED),
        conf.get(ElapseOptions.TRAIN_OPTIMIZER),
        conf.get(ElapseOptions.TRAIN_LEARNING_RATE),
        conf.get(ElapseOptions.TRAIN_CLIP_NORM),
        conf.get(ElapseOptions.TRAIN_POS_WEIGHT),
        conf.get(ElapseOptions.TRAIN_BATCH_LABELS),
        conf.get(ElapseOptions.TRAIN_BATCH_WAIT).toMillis(),
        conf.get(ElapseOptions.MODEL_PUBLISH_INTERVAL).toMillis(),
        conf.get(ElapseOptions.MAX_STALENESS),
        conf.get(ElapseOptions.STALENESS_WAIT).toMillis(),
        conf.getOptional(ElapseOptions.MODEL_HMAC_KEY).orElse(null),
        conf.getOptional(ElapseOptions.MODEL_WARM_START_FILE).orElse(null),
        conf.get(ElapseOptions.CONFORMAL_ALPHA),
        conf.get(ElapseOptions.CONFORMAL_GAMMA),
        conf.get(ElapseOptions.MAX_OUT_OF_ORDERNESS).toMillis(),
        conf.get(ElapseOptions.SOURCE_IDLENESS).toMillis(),
        conf.get(ElapseOptions.MAX_EVENT_WAIT).toMillis(),
        conf.get(ElapseOptions.ELAPSED_JOIN_WAIT).toMillis(),
        conf.get(ElapseOptions.MAX_ELAPSED).toMillis(),
        conf.get(ElapseOptions.PENDING_LABEL_WAIT).toMillis(),
        conf.get(ElapseOptions.PENDING_LABEL_MAX),
        conf.get(ElapseOptions.ENTITY_TTL).toMillis(),
        conf.get(ElapseOptions.CHECKPOINT_INTERVAL).toMillis(),
        conf.get(ElapseOptions.CHECKPOINT_DIR),
        conf.get(ElapseOptions.STATE_BACKEND),
        conf.get(ElapseOptions.PARALLELISM),
        conf.get(ElapseOptions.LEARNER_WARM_UP).toMillis());
  }

  /** Never prints the HMAC key. */
  @Override
  public String toString() {
    return "JobSettings[variant="
        + variant
        + ", H="
        + hiddenSize
        + ", E="
        + embeddingDim
        + ", V="
        + vocabularyBuckets
        + ", F="
        + numFeatures
        + ", K="
        + tasks.size()
        + ", W="
        + windowSize
        + ", optimizer="
        + optimizer
        + ", lr="
        + learningRate
        + ", hmacKey="
        + (hmacKey == null ? "unset" : "****")
        + ", parallelism="
        + parallelism
        + "]";
  }
}
