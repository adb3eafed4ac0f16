package io.elapse.pipeline;

import io.elapse.avro.DeadLetter;
import io.elapse.avro.Prediction;
import io.elapse.connectors.ElapseKafka;
import io.elapse.connectors.KafkaConfig;
import io.elapse.pipeline.config.JobSettings;
import io.elapse.pipeline.coordinator.KafkaModelWarmStart;
import io.elapse.pipeline.eval.EvaluationSettings;
import io.elapse.pipeline.eval.Evaluator;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Elapse job wired to Kafka: builds sources and sinks from a {@link KafkaConfig} and calls
 * {@link ElapseTopology#define}. Predictions and dead letters are written exactly-once; model
 * updates at-least-once (their (epoch, step) versions make replays harmless).
 */
public final class ElapseJob {

  private ElapseJob() {}

  /**
   * Applies the operational settings (checkpointing, state backend, parallelism) to {@code conf}.
   */
  public static Configuration environmentConfig(JobSettings settings, Configuration conf) {
    Configuration c = new Configuration(conf);
    c.set(StateBackendOptions.STATE_BACKEND, settings.stateBackend());
    if ("rocksdb".equalsIgnoreCase(settings.stateBackend())) {
      // A full RocksDB snapshot rewrites every entity each interval (714 MB every 10 s at 10,000
      // entities in ./elapse bench pipeline); incremental ones upload only new SST files.
      if (!c.contains(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)) {
        c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
      }
      // RocksDB's block cache and write buffers come out of managed memory, and a local
      // MiniCluster gets 128 MB unless told otherwise: at 1,000,000 entities ./elapse bench
      // pipeline ran at ~300 events/s with it and 8,516 with 2 GB. A running cluster ignores this
      // (its TaskManagers size their own managed memory).
      if (!c.contains(TaskManagerOptions.MANAGED_MEMORY_SIZE)) {
        c.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("2g"));
      }
    }
    if (!c.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
      c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, settings.checkpointDir());
    }
    c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    c.set(PipelineOptions.GENERIC_TYPES, false);
    return c;
  }

  /**
   * Configures checkpointing, parallelism and object reuse on {@code env}.
   *
   * <p>Object reuse: without it Flink deep-copies every record handed to a chained operator, and
   * each prediction (30 tasks with calibration and sets) went to two chained consumers (the Kafka
   * sink and the evaluator's timestamp assigner); the copies were 21% of the learner's CPU samples
   * in a profile of {@code ./elapse bench pipeline}. Safe here because no operator of the job
   * mutates a record after emitting it or keeps one it received from a chained operator.
   */
  public static void configure(StreamExecutionEnvironment env, JobSettings settings) {
    env.setParallelism(settings.parallelism());
    env.getConfig().enableObjectReuse();
    env.enableCheckpointing(settings.checkpointIntervalMillis(), CheckpointingMode.EXACTLY_ONCE);
    env.getCheckpointConfig()
        .setMinPauseBetweenCheckpoints(Math.min(1000, settings.checkpointIntervalMillis() / 2));
  }

  /** Defines the whole Kafka-to-Kafka job on {@code env}. */
  public static ElapseTopology.Outputs define(
      StreamExecutionEnvironment env,
      KafkaConfig kafka,
      JobSettings settings,
      boolean elapsedTopic) {
    return define(env, kafka, settings, elapsedTopic, "");
  }

  /**
   * As {@link #define}, with {@code prefix} before every operator name and uid, and the evaluator
   * at its default settings.
   */
  public static ElapseTopology.Outputs define(
      StreamExecutionEnvironment env,
      KafkaConfig kafka,
      JobSettings settings,
      boolean elapsedTopic,
      String prefix) {
    return define(env, kafka, settings, EvaluationSettings.defaults(), elapsedTopic, prefix);
  }

  /**
   * As {@link #define}, with the evaluator's settings: unless disabled, the job also evaluates its
   * own predictions against the labels ({@link Evaluator}) and writes reports to the evaluation
   * topic.
   */
  public static ElapseTopology.Outputs define(
      StreamExecutionEnvironment env,
      KafkaConfig kafka,
      JobSettings settings,
      EvaluationSettings evaluation,
      boolean elapsedTopic,
      String prefix) {
    ElapseTopology.Sources sources = kafkaSources(env, kafka, elapsedTopic, prefix);
    ElapseTopology.Outputs outputs =
        ElapseTopology.define(
            env,
            sources,
            kafkaSinks(kafka, prefix),
            settings,
            new KafkaModelWarmStart(kafka, settings.hmacKey(), Duration.ofSeconds(10)),
            prefix);
    if (evaluation.enabled()) {
      Evaluator.attachToJob(
          outputs.predictions(), sources.labels(), settings.tasks(), kafka, evaluation, prefix);
    }
    return outputs;
  }

  /** The job's Kafka sources; the model topic is always read from its beginning. */
  public static ElapseTopology.Sources kafkaSources(
      StreamExecutionEnvironment env, KafkaConfig kafka, boolean elapsedTopic) {
    return kafkaSources(env, kafka, elapsedTopic, "");
  }

  /** As {@link #kafkaSources(StreamExecutionEnvironment, KafkaConfig, boolean)}, uids prefixed. */
  public static ElapseTopology.Sources kafkaSources(
      StreamExecutionEnvironment env, KafkaConfig kafka, boolean elapsedTopic, String prefix) {
    ElapseKafka io = new ElapseKafka(kafka);
    var topics = kafka.topics();
    var events =
        env.fromSource(
                io.source(topics.events()), WatermarkStrategy.noWatermarks(), prefix + "events")
            .uid(prefix + "events-source");
    var labels =
        env.fromSource(
                io.source(topics.labels()), WatermarkStrategy.noWatermarks(), prefix + "labels")
            .uid(prefix + "labels-source");
    var elapsed =
        elapsedTopic
            ? env.fromSource(
                    io.source(topics.elapsed()),
                    WatermarkStrategy.noWatermarks(),
                    prefix + "elapsed")
                .uid(prefix + "elapsed-source")
            : null;
    var models =
        env.fromSource(
                io.modelSourceBuilder().setGroupId(kafka.groupId() + "-model-loop").build(),
                WatermarkStrategy.noWatermarks(),
                prefix + "model-updates")
            .uid(prefix + "model-source")
            .setParallelism(1);
    return new ElapseTopology.Sources(events, elapsed, labels, models);
  }

  /** The job's Kafka sinks: predictions and dead letters exactly-once, the model at-least-once. */
  public static ElapseTopology.Sinks kafkaSinks(KafkaConfig kafka) {
    return kafkaSinks(kafka, "");
  }

  /** As {@link #kafkaSinks(KafkaConfig)}, with names and uids prefixed. */
  public static ElapseTopology.Sinks kafkaSinks(KafkaConfig kafka, String prefix) {
    ElapseKafka io = new ElapseKafka(kafka);
    var topics = kafka.topics();
    return new ElapseTopology.Sinks(
        s ->
            s.sinkTo(
                    io.sink(
                        Prediction.class,
                        topics.predictions(),
                        Prediction::getEntityId,
                        DeliveryGuarantee.EXACTLY_ONCE))
                .name(prefix + "predictions-sink")
                .uid(prefix + "predictions-sink"),
        s ->
            s.sinkTo(
                    io.sink(
                        DeadLetter.class,
                        topics.deadLetters(),
                        DeadLetter::getEntityId,
                        DeliveryGuarantee.EXACTLY_ONCE))
                .name(prefix + "dead-letters-sink")
                .uid(prefix + "dead-letters-sink"),
        s ->
            s.sinkTo(io.modelSink())
                .name(prefix + "model-sink")
                .uid(prefix + "model-sink")
                .setParallelism(1));
  }
}
