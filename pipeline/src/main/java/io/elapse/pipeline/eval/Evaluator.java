package io.elapse.pipeline.eval;

import io.elapse.avro.DeadLetter;
import io.elapse.avro.Evaluation;
import io.elapse.avro.Label;
import io.elapse.avro.Prediction;
import io.elapse.connectors.AvroRecordTypeInfo;
import io.elapse.connectors.ElapseKafka;
import io.elapse.connectors.KafkaConfig;
import io.elapse.connectors.RawRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The prequential evaluator as a Flink topology: predictions and labels in, {@link Evaluation}
 * reports out. A {@link EvaluationJoinOperator} keyed by entity (at the job's parallelism) joins
 * labels with their predictions by (entityId, eventId) and forwards each joined label (a few dozen
 * bytes per task) to one {@link EvaluationReporter} at parallelism 1, which keeps the metrics
 * ({@code io.elapse.model.metrics}) exact, AUC included. {@link #attach} adds it to any job (the
 * main job does, unless {@code elapse.evaluation.enabled=false}); {@link #defineStandalone} builds
 * the Kafka-to-Kafka job of {@code ./elapse evaluate}.
 */
public final class Evaluator {

  private Evaluator() {}

  /**
   * Adds the evaluator to the job of {@code predictions} and {@code labels}; returns its reports.
   * Event time: a prediction's event time and a label's label time, with the settings' bounded
   * out-of-orderness and idleness. Only the entities of the settings' {@link EntitySample} are
   * evaluated. {@code prefix} goes before every operator name and uid.
   */
  public static SingleOutputStreamOperator<Evaluation> attach(
      DataStream<Prediction> predictions,
      DataStream<Label> labels,
      List<String> tasks,
      EvaluationSettings settings,
      String prefix) {
    Duration lateness = Duration.ofMillis(settings.maxOutOfOrdernessMillis());
    Duration idleness = Duration.ofMillis(settings.sourceIdlenessMillis());
    Map<String, Integer> taskIndex = EvaluationJoinOperator.taskIndex(tasks);
    EntitySample sample = new EntitySample(settings.entityFraction());
    DataStream<Prediction> sampledPredictions =
        sampled(
            predictions, sample, Prediction::getEntityId, prefix + "evaluator-sample-predictions");
    DataStream<Label> sampledLabels =
        sampled(labels, sample, Label::getEntityId, prefix + "evaluator-sample-labels");
    DataStream<EvalPrediction> timedPredictions =
        sampledPredictions
            .map(p -> EvalPrediction.of(p, taskIndex))
            .returns(EvalPrediction.class)
            .name(prefix + "evaluator-slim-prediction")
            .uid(prefix + "evaluator-slim-prediction")
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<EvalPrediction>forBoundedOutOfOrderness(lateness)
                    .withTimestampAssigner((p, ts) -> p.eventTime)
                    .withIdleness(idleness))
            .name(prefix + "evaluator-prediction-time")
            .uid(prefix + "evaluator-prediction-time");
    DataStream<Label> timedLabels =
        sampledLabels
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<Label>forBoundedOutOfOrderness(lateness)
                    .withTimestampAssigner((l, ts) -> l.getLabelTime().toEpochMilli())
                    .withIdleness(idleness))
            .name(prefix + "evaluator-label-time")
            .uid(prefix + "evaluator-label-time");
    SingleOutputStreamOperator<JoinUpdate> joined =
        timedPredictions
            .connect(timedLabels)
            .keyBy(p -> p.entityId, Label::getEntityId)
            .transform(
                prefix + "evaluator-join",
                TypeInformation.of(JoinUpdate.class),
                new EvaluationJoinOperator(tasks, settings))
            .uid(prefix + "evaluator-join");
    return joined
        .transform(
            prefix + "evaluator-report",
            new AvroRecordTypeInfo<>(Evaluation.class),
            new EvaluationReporter(prefix + settings.name(), tasks, settings))
        .uid(prefix + "evaluator-report")
        .setParallelism(1)
        .setMaxParallelism(1);
  }

  /** {@code records} of the sample's entities only (as they are when it keeps every entity). */
  private static <T> DataStream<T> sampled(
      DataStream<T> records, EntitySample sample, KeySelector<T, String> entity, String name) {
    if (sample.all()) {
      return records;
    }
    return records.filter(r -> sample.contains(entity.getKey(r))).name(name).uid(name);
  }

  /** The evaluation topic: the setting when given, else the Kafka configuration's. */
  public static String topic(KafkaConfig kafka, EvaluationSettings settings) {
    return settings.topic() != null ? settings.topic() : kafka.topics().evaluation();
  }

  /** Writes {@code reports} at-least-once (reports are cumulative snapshots) keyed by evaluator. */
  public static void sinkReports(
      DataStream<Evaluation> reports,
      KafkaConfig kafka,
      EvaluationSettings settings,
      String prefix) {
    reports
        .sinkTo(
            new ElapseKafka(kafka)
                .sink(
                    Evaluation.class,
                    topic(kafka, settings),
                    Evaluation::getEvaluator,
                    DeliveryGuarantee.AT_LEAST_ONCE))
        .name(prefix + "evaluation-sink")
        .uid(prefix + "evaluation-sink")
        .setParallelism(1);
  }

  /**
   * Adds the evaluator to the main job: its predictions stream and its raw labels (decoded again
   * here; the job's own decode stage dead-letters the bad ones), reports to Kafka.
   */
  public static void attachToJob(
      DataStream<Prediction> predictions,
      DataStream<RawRecord> rawLabels,
      List<String> tasks,
      KafkaConfig kafka,
      EvaluationSettings settings,
      String prefix) {
    DataStream<Label> labels =
        rawLabels
            .process(DecodeForEvaluation.labels(false))
            .name(prefix + "evaluator-decode-labels")
            .uid(prefix + "evaluator-decode-labels");
    sinkReports(attach(predictions, labels, tasks, settings, prefix), kafka, settings, prefix);
  }

  /**
   * The standalone evaluator ({@code ./elapse evaluate}): reads the predictions and labels topics
   * of {@code kafka}, writes reports to the evaluation topic and rejected records to the
   * dead-letter topic (exactly-once, stage {@code evaluator}). With {@code untilEnd} the sources
   * stop at the topics' end offsets as of the start, and a final report is written.
   */
  public static SingleOutputStreamOperator<Evaluation> defineStandalone(
      StreamExecutionEnvironment env,
      KafkaConfig kafka,
      EvaluationSettings settings,
      List<String> tasks,
      boolean untilEnd) {
    ElapseKafka io = new ElapseKafka(kafka);
    var predictionSource = io.sourceBuilder(kafka.topics().predictions());
    var labelSource = io.sourceBuilder(kafka.topics().labels());
    if (untilEnd) {
      predictionSource.setBounded(OffsetsInitializer.latest());
      labelSource.setBounded(OffsetsInitializer.latest());
    }
    SingleOutputStreamOperator<Prediction> predictions =
        env.fromSource(predictionSource.build(), WatermarkStrategy.noWatermarks(), "predictions")
            .uid("predictions-source")
            .process(DecodeForEvaluation.predictions(true))
            .name("evaluator-decode-predictions")
            .uid("evaluator-decode-predictions");
    SingleOutputStreamOperator<Label> labels =
        env.fromSource(labelSource.build(), WatermarkStrategy.noWatermarks(), "labels")
            .uid("labels-source")
            .process(DecodeForEvaluation.labels(true))
            .name("evaluator-decode-labels")
            .uid("evaluator-decode-labels");
    DataStream<DeadLetter> rejected =
        predictions
            .getSideOutput(DecodeForEvaluation.DEAD_LETTERS)
            .union(labels.getSideOutput(DecodeForEvaluation.DEAD_LETTERS));
    rejected
        .sinkTo(io.deadLetterSink("evaluator"))
        .name("dead-letters-sink")
        .uid("dead-letters-sink");
    SingleOutputStreamOperator<Evaluation> reports =
        attach(predictions, labels, tasks, settings, "");
    sinkReports(reports, kafka, settings, "");
    return reports;
  }
}
