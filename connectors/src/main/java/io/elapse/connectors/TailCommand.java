package io.elapse.connectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./elapse tail TOPIC}: prints the records of any Elapse topic as JSON lines, choosing each
 * record's type by the schema fingerprint in its header. Undecodable records print a line with an
 * {@code error} field. Reads read_committed, without a consumer group, and never prints client
 * properties.
 */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = {
      "Print the records of an Elapse topic as JSON lines (one object per record).",
      "Each record's type is detected from its Avro schema fingerprint; records that cannot be"
          + " decoded print a line with an \"error\" field."
    })
public final class TailCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic to read.")
  String topic;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,...]",
      defaultValue = "${env:ELAPSE_BOOTSTRAP_SERVERS}",
      description = "Kafka bootstrap servers (default: $ELAPSE_BOOTSTRAP_SERVERS).")
  String bootstrapServers;

  @ArgGroup(exclusive = true)
  Position position = new Position();

  @Option(
      names = "--max-records",
      paramLabel = "N",
      description = "Stop after N records (default: no limit).")
  long maxRecords = Long.MAX_VALUE;

  @Option(
      names = "--timeout-ms",
      paramLabel = "T",
      description = "Stop when no record arrived for T milliseconds (default: wait forever).")
  long timeoutMs = -1;

  @Option(
      names = "--command-config",
      paramLabel = "FILE",
      description =
          "Client properties file (e.g. SASL/SSL settings), passed to the consumer; never printed.")
  Path commandConfig;

  /** Where to start; from the end unless {@code --from-beginning}. */
  static final class Position {
    @Option(names = "--from-beginning", description = "Start at the earliest record.")
    boolean fromBeginning;

    @Option(names = "--from-end", description = "Start at the end (the default).")
    boolean fromEnd;
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      spec.commandLine()
          .getErr()
          .println("tail: expected --bootstrap-servers or $ELAPSE_BOOTSTRAP_SERVERS, got neither");
      return 2;
    }
    if (maxRecords < 1) {
      spec.commandLine().getErr().println("tail: --max-records expected >= 1, got " + maxRecords);
      return 2;
    }
    KafkaConfig.Builder builder = KafkaConfig.builder().bootstrapServers(bootstrapServers);
    if (commandConfig != null) {
      builder.clientPropertiesFile(commandConfig);
    }
    Properties props = new ElapseKafka(builder.build()).consumerProperties();
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.setProperty(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    long printed = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      if (partitions.isEmpty()) {
        spec.commandLine().getErr().println("tail: topic " + topic + " does not exist");
        return 1;
      }
      consumer.assign(partitions);
      if (position.fromBeginning) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      partitions.forEach(consumer::position); // resolve the start now, before any new record
      long lastRecord = System.nanoTime();
      while (printed < maxRecords) {
        var records = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<byte[], byte[]> record : records) {
          out.println(line(record));
          printed++;
          if (printed >= maxRecords) {
            break;
          }
        }
        out.flush();
        if (!records.isEmpty()) {
          lastRecord = System.nanoTime();
        } else if (timeoutMs >= 0
            && System.nanoTime() - lastRecord > Duration.ofMillis(timeoutMs).toNanos()) {
          break;
        }
      }
    }
    out.flush();
    return 0;
  }

  /** The JSON line of one Kafka record. */
  static String line(ConsumerRecord<byte[], byte[]> record) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("topic", record.topic());
    node.put("partition", record.partition());
    node.put("offset", record.offset());
    node.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
    if (record.key() == null) {
      node.putNull("key");
    } else {
      node.put("key", keyText(record.key()));
    }
    DecodeResult<SpecificRecord> decoded = AvroCodec.decodeAny(record.value());
    AvroCodec.fingerprintOf(record.value())
        .ifPresent(f -> node.put("fingerprint", String.format("%016x", f)));
    if (decoded.isSuccess()) {
      node.put("type", decoded.record().getSchema().getName());
      node.set("value", AvroJson.toJson(decoded.record()));
    } else {
      ObjectNode error = node.putObject("error");
      error.put("reason", decoded.reason());
      error.put("message", decoded.message());
      node.put(
          "valueBase64",
          record.value() == null ? null : Base64.getEncoder().encodeToString(record.value()));
    }
    return node.toString();
  }

  private static String keyText(byte[] key) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(key))
          .toString();
    } catch (CharacterCodingException e) {
      return "base64:" + Base64.getEncoder().encodeToString(key);
    }
  }
}
