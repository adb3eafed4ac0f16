package io.elapse.pipeline.eval;

import io.elapse.pipeline.config.ElapseOptions;
import java.io.Serializable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The evaluator's settings ({@code elapse.evaluation.*} and the event-time settings it shares with
 * the job), read once from the configuration and shipped to its operators.
 *
 * @param enabled whether the main job runs the evaluator
 * @param name the evaluator's name (report key)
 * @param intervalMillis wall-clock interval between reports
 * @param topic the evaluation topic, or null for the Kafka configuration's evaluation topic
 * @param predictionRetentionMillis event time a prediction waits for labels
 * @param labelWaitMillis event time a label waits for its prediction
 * @param maxPendingLabels labels waiting per (entity, event)
 * @param aucCapacity labels per task kept for an exact AUC
 * @param k the k of precision@k and recall@k
 * @param entityFraction fraction of entities evaluated, in (0, 1] ({@link EntitySample})
 * @param maxOutOfOrdernessMillis bounded out-of-orderness of the watermarks
 * @param sourceIdlenessMillis idleness after which an input stops holding back the watermark
 */
public record EvaluationSettings(
    boolean enabled,
    String name,
    long intervalMillis,
    String topic,
    long predictionRetentionMillis,
    long labelWaitMillis,
    int maxPendingLabels,
    int aucCapacity,
    int k,
    double entityFraction,
    long maxOutOfOrdernessMillis,
    long sourceIdlenessMillis)
    implements Serializable {

  /** Validates every value, naming the key. */
  public EvaluationSettings {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          ElapseOptions.EVALUATION_NAME.key() + ": expected a non-blank name, got '" + name + "'");
    }
    positive(ElapseOptions.EVALUATION_INTERVAL.key(), intervalMillis);
    positive(ElapseOptions.EVALUATION_PREDICTION_RETENTION.key(), predictionRetentionMillis);
    positive(ElapseOptions.EVALUATION_LABEL_WAIT.key(), labelWaitMillis);
    positive(ElapseOptions.EVALUATION_MAX_PENDING_LABELS.key(), maxPendingLabels);
    positive(ElapseOptions.EVALUATION_AUC_CAPACITY.key(), aucCapacity);
    positive(ElapseOptions.EVALUATION_K.key(), k);
    if (!(entityFraction > 0 && entityFraction <= 1)) {
      throw new IllegalArgumentException(
          ElapseOptions.EVALUATION_ENTITY_FRACTION.key()
              + ": expected a fraction in (0, 1], got "
              + entityFraction);
    }
    if (maxOutOfOrdernessMillis < 0) {
      throw new IllegalArgumentException(
          ElapseOptions.MAX_OUT_OF_ORDERNESS.key()
              + ": expected >= 0 ms, got "
              + maxOutOfOrdernessMillis);
    }
    positive(ElapseOptions.SOURCE_IDLENESS.key(), sourceIdlenessMillis);
  }

  private static void positive(String key, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + ": expected a value > 0, got " + value);
    }
  }

  /** Reads the settings from {@code conf}, defaults where unset. */
  public static EvaluationSettings from(ReadableConfig conf) {
    return new EvaluationSettings(
        conf.get(ElapseOptions.EVALUATION_ENABLED),
        conf.get(ElapseOptions.EVALUATION_NAME),
        conf.get(ElapseOptions.EVALUATION_INTERVAL).toMillis(),
        conf.getOptional(ElapseOptions.EVALUATION_TOPIC).orElse(null),
        conf.get(ElapseOptions.EVALUATION_PREDICTION_RETENTION).toMillis(),
        conf.get(ElapseOptions.EVALUATION_LABEL_WAIT).toMillis(),
        conf.get(ElapseOptions.EVALUATION_MAX_PENDING_LABELS),
        conf.get(ElapseOptions.EVALUATION_AUC_CAPACITY),
        conf.get(ElapseOptions.EVALUATION_K),
        conf.get(ElapseOptions.EVALUATION_ENTITY_FRACTION),
        conf.get(ElapseOptions.MAX_OUT_OF_ORDERNESS).toMillis(),
        conf.get(ElapseOptions.SOURCE_IDLENESS).toMillis());
  }

  /** Every default. */
  public static EvaluationSettings defaults() {
    return from(new Configuration());
  }
}
