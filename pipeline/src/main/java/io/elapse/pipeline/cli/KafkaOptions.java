package io.elapse.pipeline.cli;

import io.elapse.connectors.ElapseTopics;
import io.elapse.connectors.KafkaConfig;
import io.elapse.connectors.StartPosition;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Kafka options shared by the commands that talk to a broker. */
public final class KafkaOptions {

  @Option(
      names = "--bootstrap-servers",
      required = true,
      description = "Kafka bootstrap servers, host:port[,host:port...].")
  String bootstrapServers;

  @Option(
      names = "--topic-prefix",
      defaultValue = "elapse.",
      description = "Prefix of every topic name (default: ${DEFAULT-VALUE}, e.g. elapse.events).")
  String topicPrefix;

  @Option(
      names = "--group-id",
      defaultValue = "elapse",
      description = "Consumer group of the job's sources (default: ${DEFAULT-VALUE}).")
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
          "A properties file of Kafka client settings (security.protocol, sasl.*, ssl.*) passed to every client; values are never printed.")
  Path commandConfig;

  /** The typed Kafka configuration these options describe. */
  public KafkaConfig toConfig() {
    KafkaConfig.Builder b =
        KafkaConfig.builder()
            .bootstrapServers(bootstrapServers)
            .topics(ElapseTopics.withPrefix(topicPrefix))
            .groupId(groupId)
            .startPosition(start);
    if (commandConfig != null) {
      b.clientPropertiesFile(commandConfig);
    }
    return b.build();
  }
}
