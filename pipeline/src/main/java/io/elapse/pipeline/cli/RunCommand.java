package io.elapse.pipeline.cli;

import io.elapse.pipeline.ElapseJob;
import io.elapse.pipeline.config.JobSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./elapse run}: the job against a user's Kafka. From the launcher it runs on a local Flink
 * MiniCluster; submitted with {@code flink run -c io.elapse.pipeline.cli.ElapseCli job.jar run ...}
 * it runs on that cluster.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the Elapse job against your Kafka (local MiniCluster, or the cluster it is submitted to).",
      "Settings: every elapse.* key in the README's configuration table, from --config or -D."
    })
public final class RunCommand implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Option(names = "--config", description = "A properties file of elapse.* (and Flink) settings.")
  Path config;

  @Option(
      names = "-D",
      mapFallbackValue = "",
      description = "One setting, e.g. -Delapse.model.variant=TIME_GATE (overrides --config).")
  Map<String, String> overrides = new HashMap<>();

  @Option(
      names = "--elapsed-topic",
      description = "Also read the elapsed-time topic and join it to events.")
  boolean elapsedTopic;

  @Option(
      names = "--create-topics",
      description =
          "Create the Elapse topics that are missing (model topic compacted) and check the existing ones, then run.")
  boolean createTopics;

  @Option(
      names = "--partitions",
      defaultValue = "2",
      description = "Partitions of topics created by --create-topics (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--replication-factor",
      defaultValue = "1",
      description =
          "Replication factor of topics created by --create-topics (default: ${DEFAULT-VALUE}).")
  short replicationFactor;

  @Override
  public Integer call() throws Exception {
    if (createTopics) {
      var kafkaConfig = kafka.toConfig();
      var result =
          new io.elapse.connectors.TopicAdministrator(
                  new io.elapse.connectors.ElapseKafka(kafkaConfig))
              .ensure(
                  io.elapse.connectors.TopicAdministrator.elapseTopics(
                      kafkaConfig.topics(), partitions, replicationFactor));
      System.err.println("elapse: topics " + result);
    }
    Configuration conf = loadConfiguration(config, overrides);
    JobSettings settings = JobSettings.from(conf);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            ElapseJob.environmentConfig(settings, conf));
    ElapseJob.configure(env, settings);
    ElapseJob.define(
        env,
        kafka.toConfig(),
        settings,
        io.elapse.pipeline.eval.EvaluationSettings.from(conf),
        elapsedTopic,
        "");
    System.err.println("elapse: starting " + settings + " on " + kafka.toConfig());
    env.execute("elapse");
    return 0;
  }

  /** Reads a properties file (if any) and applies {@code overrides} on top. */
  static Configuration loadConfiguration(Path file, Map<String, String> overrides)
      throws IOException {
    Map<String, String> values = new HashMap<>();
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("--config: no such file " + file);
      }
      Properties p = new Properties();
      try (var in = Files.newBufferedReader(file)) {
        p.load(in);
      }
      p.forEach((k, v) -> values.put(k.toString(), v.toString()));
    }
    values.putAll(overrides);
    return Configuration.fromMap(values);
  }
}
