package io.elapse.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.elapse.avro.Label;
import io.elapse.avro.Prediction;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TailCommandTest {

  static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void printsEveryRecordTypeAsJsonAndBadRecordsWithAnError() throws Exception {
    String topic = KafkaTestSupport.uniqueTopic("tail");
    KafkaTestSupport.createTopic(kafka.bootstrapServers(), topic, 1);
    KafkaTestSupport.produce(
        kafka.bootstrapServers(),
        List.of(
            new ProducerRecord<>(
                topic, key("user-7"), AvroCodec.of(Label.class).encode(Samples.label())),
            new ProducerRecord<>(topic, key("user-7"), new byte[] {1, 2, 3}),
            new ProducerRecord<>(
                topic, key("user-7"), AvroCodec.of(Prediction.class).encode(Samples.prediction())),
            new ProducerRecord<>(topic, key("user-7"), Samples.fixture("ModelUpdate"))));

    List<JsonNode> lines =
        tail(topic, "--from-beginning", "--max-records", "4", "--timeout-ms", "20000");

    assertThat(lines).hasSize(4);
    JsonNode label = lines.get(0);
    assertThat(label.get("type").asText()).isEqualTo("Label");
    assertThat(label.get("key").asText()).isEqualTo("user-7");
    assertThat(label.get("offset").asLong()).isZero();
    assertThat(label.get("value").get("targets").get("churn").asDouble()).isEqualTo(1.0);
    assertThat(label.get("value").get("sampleWeight").asDouble()).isEqualTo(2.0);
    assertThat(label.get("value").get("labelTime").asText()).isEqualTo("2026-11-01T11:15:30.123Z");

    JsonNode bad = lines.get(1);
    assertThat(bad.get("error").get("reason").asText()).isEqualTo(ReasonCodes.UNDECODABLE);
    assertThat(bad.get("valueBase64").asText()).isEqualTo("AQID");

    JsonNode prediction = lines.get(2);
    assertThat(prediction.get("type").asText()).isEqualTo("Prediction");
    assertThat(prediction.get("value").get("tasks").get(0).get("predictionSet").asText())
        .isEqualTo("ZERO");
    assertThat(prediction.get("value").get("modelVersion").get("epoch").asLong()).isEqualTo(3L);

    JsonNode model = lines.get(3);
    assertThat(model.get("type").asText()).isEqualTo("ModelUpdate");
    assertThat(model.get("value").get("parameters").asText()).isEqualTo("AQIDBAUGBwg=");
  }

  @Test
  void decodesTheEvaluationTopicWithUndefinedRatesAsText() throws Exception {
    String topic = KafkaTestSupport.uniqueTopic("tail-evaluation");
    KafkaTestSupport.createTopic(kafka.bootstrapServers(), topic, 1);
    KafkaTestSupport.produce(
        kafka.bootstrapServers(),
        List.of(
            new ProducerRecord<>(
                topic,
                key("elapse"),
                AvroCodec.of(io.elapse.avro.Evaluation.class).encode(Samples.evaluation()))));

    List<JsonNode> lines =
        tail(topic, "--from-beginning", "--max-records", "1", "--timeout-ms", "20000");

    assertThat(lines).hasSize(1);
    JsonNode evaluation = lines.get(0);
    assertThat(evaluation.get("type").asText()).isEqualTo("Evaluation");
    JsonNode value = evaluation.get("value");
    assertThat(value.get("evaluator").asText()).isEqualTo("elapse");
    assertThat(value.get("counts").get("joinedLabels").asLong()).isEqualTo(120L);
    assertThat(value.get("overall").get("auc").asDouble()).isEqualTo(0.83);
    assertThat(value.get("tasks").get(1).get("task").asText()).isEqualTo("upsell");
    assertThat(value.get("tasks").get(1).get("logLoss").asText()).isEqualTo("NaN");
    assertThat(value.get("latestModelVersion").get("step").asLong()).isEqualTo(1_200L);
  }

  @Test
  void fromTheEndPrintsOnlyNewRecordsAndStopsOnTimeout() throws Exception {
    String topic = KafkaTestSupport.uniqueTopic("tail-end");
    KafkaTestSupport.createTopic(kafka.bootstrapServers(), topic, 1);
    KafkaTestSupport.produce(
        kafka.bootstrapServers(),
        List.of(
            new ProducerRecord<>(topic, null, AvroCodec.of(Label.class).encode(Samples.label()))));

    assertThat(tail(topic, "--from-end", "--timeout-ms", "500")).isEmpty();
  }

  @Test
  void aMissingTopicIsReportedAndNotCreated() throws Exception {
    String topic = KafkaTestSupport.uniqueTopic("missing");
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new TailCommand());
    cmd.setErr(new PrintWriter(err));

    int code =
        cmd.execute(topic, "--bootstrap-servers", kafka.bootstrapServers(), "--timeout-ms", "100");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("topic " + topic + " does not exist");
    try (var admin =
        org.apache.kafka.clients.admin.Admin.create(
            java.util.Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      assertThat(admin.listTopics().names().get()).doesNotContain(topic);
    }
  }

  @Test
  void withoutBootstrapServersItFailsWithAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new TailCommand());
    cmd.setErr(new PrintWriter(err));
    // ELAPSE_BOOTSTRAP_SERVERS is not set in the test environment.
    if (System.getenv("ELAPSE_BOOTSTRAP_SERVERS") == null) {
      assertThat(cmd.execute("some-topic")).isEqualTo(2);
      assertThat(err.toString()).contains("expected --bootstrap-servers");
    }
  }

  static List<JsonNode> tail(String topic, String... args) throws Exception {
    List<String> all =
        new ArrayList<>(List.of(topic, "--bootstrap-servers", kafka.bootstrapServers()));
    all.addAll(List.of(args));
    StringWriter out = new StringWriter();
    CommandLine cmd = new CommandLine(new TailCommand());
    cmd.setOut(new PrintWriter(out));
    assertThat(cmd.execute(all.toArray(String[]::new))).isZero();
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.toString().split("\n")) {
      if (!line.isBlank()) {
        lines.add(mapper.readTree(line));
      }
    }
    return lines;
  }

  static byte[] key(String k) {
    return k.getBytes(StandardCharsets.UTF_8);
  }
}
