package io.elapse.pipeline;

import io.elapse.avro.DeadLetter;
import io.elapse.avro.ModelUpdate;
import io.elapse.avro.Prediction;
import io.elapse.connectors.AvroRecordTypeInfo;
import io.elapse.connectors.RawRecord;
import io.elapse.pipeline.config.JobSettings;
import io.elapse.pipeline.coordinator.Coordinator;
import io.elapse.pipeline.coordinator.ModelWarmStart;
import io.elapse.pipeline.decode.DecodeInputs;
import io.elapse.pipeline.learner.LearnerOperator;
import io.elapse.pipeline.modelloop.DecodeModelUpdates;
import io.elapse.pipeline.records.EntityInput;
import io.elapse.pipeline.records.ModelState;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Elapse job as one function of its sources and sinks. The command line, the demo, the cluster
 * job and the tests all call {@link #define}; only they decide where records come from and go.
 */
public final class ElapseTopology {

  /**
   * The job's inputs as raw Kafka records.
   *
   * @param events the events topic
   * @param elapsed the elapsed-time topic, or null when there is none
   * @param labels the labels topic
   * @param modelUpdates the model topic read back (the model loop), or null to run without it
   */
  public record Sources(
      DataStream<RawRecord> events,
      DataStream<RawRecord> elapsed,
      DataStream<RawRecord> labels,
      DataStream<RawRecord> modelUpdates) {}

  /** Where the job's outputs go. */
  public record Sinks(
      Consumer<DataStream<Prediction>> predictions,
      Consumer<DataStream<DeadLetter>> deadLetters,
      Consumer<DataStream<ModelUpdate>> modelUpdates) {}

  /** The output streams, returned for callers that attach more (e.g. the evaluator). */
  public record Outputs(
      DataStream<Prediction> predictions,
      DataStream<DeadLetter> deadLetters,
      DataStream<ModelUpdate> modelUpdates) {}

  private ElapseTopology() {}

  /** Defines the job on {@code env}: decode, order, learn, coordinate, publish. */
  public static Outputs define(
      StreamExecutionEnvironment env,
      Sources sources,
      Sinks sinks,
      JobSettings settings,
      ModelWarmStart warmStart) {
    return define(env, sources, sinks, settings, warmStart, "");
  }

  /**
   * As {@link #define(StreamExecutionEnvironment, Sources, Sinks, JobSettings, ModelWarmStart)},
   * with {@code prefix} before every operator name and uid, so that several models can run side by
   * side in one job (the demo's {@code --compare}).
   */
  public static Outputs define(
      StreamExecutionEnvironment env,
      Sources sources,
      Sinks sinks,
      JobSettings settings,
      ModelWarmStart warmStart,
      String prefix) {
    SingleOutputStreamOperator<EntityInput> events =
        decode(sources.events(), DecodeInputs.Kind.EVENTS, settings, prefix);
    SingleOutputStreamOperator<EntityInput> labels =
        decode(sources.labels(), DecodeInputs.Kind.LABELS, settings, prefix);
    SingleOutputStreamOperator<EntityInput> elapsed =
        sources.elapsed() == null
            ? null
            : decode(sources.elapsed(), DecodeInputs.Kind.ELAPSED, settings, prefix);

    WatermarkStrategy<EntityInput> watermarks =
        WatermarkStrategy.<EntityInput>forBoundedOutOfOrderness(
                Duration.ofMillis(settings.maxOutOfOrdernessMillis()))
            .withTimestampAssigner((in, ts) -> in.time)
            .withIdleness(Duration.ofMillis(settings.sourceIdlenessMillis()));
    DataStream<EntityInput> inputs =
        events.assignTimestampsAndWatermarks(watermarks).name(prefix + "event-time-events");
    inputs =
        inputs.union(
            labels.assignTimestampsAndWatermarks(watermarks).name(prefix + "event-time-labels"));
    if (elapsed != null) {
      inputs =
          inputs.union(
              elapsed
                  .assignTimestampsAndWatermarks(watermarks)
                  .name(prefix + "event-time-elapsed"));
    }

    DataStream<ModelState> models;
    SingleOutputStreamOperator<ModelState> decodedModels = null;
    if (sources.modelUpdates() != null) {
      decodedModels =
          sources
              .modelUpdates()
              .process(new DecodeModelUpdates(settings))
              .name(prefix + "verify-model-updates")
              .uid(prefix + "verify-model-updates")
              .setBufferTimeout(0);
      models = decodedModels;
    } else {
      models =
          env.fromData(List.of(), TypeInformation.of(ModelState.class))
              .name(prefix + "no-model-loop");
    }

    SingleOutputStreamOperator<Prediction> predictions =
        inputs
            .keyBy(in -> in.entityId)
            .connect(models.broadcast())
            .transform(
                prefix + "learner",
                new AvroRecordTypeInfo<>(Prediction.class),
                new LearnerOperator(settings, sources.elapsed() != null))
            .uid(prefix + "learner")
            // Gradient batches travel on this output: see the coordinator's buffer timeout.
            .setBufferTimeout(10);

    SingleOutputStreamOperator<ModelUpdate> updates =
        predictions
            .getSideOutput(LearnerOperator.GRADIENTS)
            .keyBy(b -> 0)
            .process(
                new Coordinator(settings, warmStart), new AvroRecordTypeInfo<>(ModelUpdate.class))
            .name(prefix + "coordinator")
            .uid(prefix + "coordinator")
            .setParallelism(1)
            .setMaxParallelism(1)
            // The model loop is latency-bound: every hop that waits for a network buffer to fill
            // makes the learners' gradients staler (up to the 100 ms default per hop).
            .setBufferTimeout(0);

    DataStream<DeadLetter> deadLetters =
        events
            .getSideOutput(DecodeInputs.DEAD_LETTERS)
            .union(
                labels.getSideOutput(DecodeInputs.DEAD_LETTERS),
                predictions.getSideOutput(LearnerOperator.DEAD_LETTERS));
    if (elapsed != null) {
      deadLetters = deadLetters.union(elapsed.getSideOutput(DecodeInputs.DEAD_LETTERS));
    }
    if (decodedModels != null) {
      deadLetters = deadLetters.union(decodedModels.getSideOutput(DecodeModelUpdates.DEAD_LETTERS));
    }

    sinks.predictions().accept(predictions);
    sinks.deadLetters().accept(deadLetters);
    sinks.modelUpdates().accept(updates);
    return new Outputs(predictions, deadLetters, updates);
  }

  private static SingleOutputStreamOperator<EntityInput> decode(
      DataStream<RawRecord> raw, DecodeInputs.Kind kind, JobSettings settings, String prefix) {
    String name = prefix + "decode-" + kind.name().toLowerCase(java.util.Locale.ROOT);
    return raw.process(
            new DecodeInputs(
                kind, settings.tasks(), settings.numFeatures(), settings.maxElapsedMillis()))
        .name(name)
        .uid(name);
  }
}
