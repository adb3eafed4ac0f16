package io.elapse.pipeline.cli;

import io.elapse.avro.Prediction;
import io.elapse.avro.TaskPrediction;
import io.elapse.connectors.AvroCodec;
import io.elapse.connectors.DecodeResult;
import io.elapse.connectors.ElapseKafka;
import io.elapse.connectors.ElapseTopics;
import io.elapse.connectors.KafkaConfig;
import io.elapse.connectors.StartPosition;
import io.elapse.pipeline.ElapseJob;
import io.elapse.pipeline.config.JobSettings;
import io.elapse.pipeline.eval.EvaluationSettings;
import io.elapse.pipeline.eval.Evaluator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./elapse evaluate}: the prequential evaluator on its own, for any model that writes Elapse
 * predictions. Joins the predictions topic with the labels topic and publishes {@code Evaluation}
 * reports (local MiniCluster, or the cluster it is submitted to).
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate any model writing Elapse predictions: join its predictions with the labels by"
          + " (entityId, eventId) and publish metrics per task and overall (log loss, AUC, ECE,"
          + " Brier, accuracy, precision/recall@k, set coverage and size, positive rate, label"
          + " delay) to the evaluation topic.",
      "Settings: the elapse.evaluation.* and elapse.time.* keys of the README's configuration"
          + " table, from --config or -D."
    })
public final class EvaluateCommand implements Callable<Integer> {

  @Option(
      names = "--bootstrap-servers",
      required = true,
      description = "Kafka bootstrap servers, host:port[,host:port...].")
  String bootstrapServers;

  @Option(
      names = "--predictions-topic",
      defaultValue = "elapse.predictions",
      description = "Topic of the predictions to evaluate (default: ${DEFAULT-VALUE}).")
  String predictionsTopic;

  @Option(
      names = "--labels-topic",
      defaultValue = "elapse.labels",
      description = "Topic of the labels (default: ${DEFAULT-VALUE}).")
  String labelsTopic;

  @Option(
      names = "--evaluation-topic",
      defaultValue = "elapse.evaluation",
      description = "Topic the reports go to (default: ${DEFAULT-VALUE}).")
  String evaluationTopic;

  @Option(
      names = "--dead-letter-topic",
      defaultValue = "elapse.dead-letters",
      description =
          "Topic of records that cannot be evaluated (undecodable, probability or target outside [0,1]) (default: ${DEFAULT-VALUE}).")
  String deadLetterTopic;

  @Option(
      names = "--tasks",
      split = "[;,]",
      description =
          "Task names, in report order (default: the tasks of the first prediction on the topic).")
  List<String> tasks;

  @Option(
      names = "--until-end",
      description =
          "Stop at the topics' end offsets as of the start and publish a final report (default: run forever).")
  boolean untilEnd;

  @Option(
      names = "--group-id",
      defaultValue = "elapse-evaluator",
      description = "Consumer group of the evaluator's sources (default: ${DEFAULT-VALUE}).")
  String groupId;

  @Option(
      names = "--start",
      defaultValue = "EARLIEST",
      description =
          "Where sources start without a checkpoint: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  StartPosition start;

  @Option(
      names = "--command-config",
      description =
          "A properties file of Kafka client settings (security.protocol, sasl.*, ssl.*); values are never printed.")
  Path commandConfig;

  @Option(names = "--config", description = "A properties file of elapse.* (and Flink) settings.")
  Path config;

  @Option(
      names = "-D",
      mapFallbackValue = "",
      description = "One setting, e.g. -Delapse.evaluation.interval=30s (overrides --config).")
  Map<String, String> overrides = new HashMap<>();

  @Override
  public Integer call() throws Exception {
    KafkaConfig kafka = kafkaConfig();
    Configuration conf = RunCommand.loadConfiguration(config, overrides);
    EvaluationSettings evaluation = EvaluationSettings.from(conf);
    List<String> taskNames =
        tasks != null && !tasks.isEmpty()
            ? List.copyOf(tasks)
            : tasksOfFirstPrediction(kafka, Duration.ofSeconds(60));
    JobSettings job = JobSettings.from(conf);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(ElapseJob.environmentConfig(job, conf));
    ElapseJob.configure(env, job);
    Evaluator.defineStandalone(env, kafka, evaluation, taskNames, untilEnd);
    System.err.println(
        "elapse evaluate: "
            + predictionsTopic
            + " + "
            + labelsTopic
            + " -> "
            + Evaluator.topic(kafka, evaluation)
            + ", tasks "
            + taskNames
            + ", every "
            + Duration.ofMillis(evaluation.intervalMillis()));
    env.execute("elapse-evaluate");
    return 0;
  }

  /** The Kafka configuration: the given topics, the others at their defaults. */
  KafkaConfig kafkaConfig() {
    ElapseTopics d = ElapseTopics.defaults();
    KafkaConfig.Builder b =
        KafkaConfig.builder()
            .bootstrapServers(bootstrapServers)
            .topics(
                new ElapseTopics(
                    d.events(),
                    d.elapsed(),
                    labelsTopic,
                    predictionsTopic,
                    d.model(),
                    deadLetterTopic,
                    evaluationTopic))
            .groupId(groupId)
            .startPosition(start)
            .transactionalIdPrefix(groupId + "-tx");
    if (commandConfig != null) {
      b.clientPropertiesFile(commandConfig);
    }
    return b.build();
  }

  /** The task names of the first decodable prediction on the predictions topic. */
  static List<String> tasksOfFirstPrediction(KafkaConfig kafka, Duration timeout) {
    String topic = kafka.topics().predictions();
    Properties p = new ElapseKafka(kafka).consumerProperties();
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.setProperty(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> parts = new ArrayList<>();
      consumer
          .partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
      if (parts.isEmpty()) {
        throw new IllegalArgumentException("predictions topic " + topic + " does not exist");
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          DecodeResult<Prediction> d = AvroCodec.of(Prediction.class).decode(r.value());
          if (d.isSuccess() && !d.record().getTasks().isEmpty()) {
            return d.record().getTasks().stream().map(TaskPrediction::getTask).toList();
          }
        }
      }
    }
    throw new IllegalArgumentException(
        "--tasks not given, and no prediction on "
            + topic
            + " within "
            + timeout.toSeconds()
            + " s to take them from; expected e.g. --tasks 'churn;upsell'");
  }
}
