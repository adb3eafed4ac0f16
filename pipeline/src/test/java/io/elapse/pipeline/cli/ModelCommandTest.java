package io.elapse.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.elapse.avro.ModelUpdate;
import io.elapse.avro.ModelVersion;
import io.elapse.connectors.AvroCodec;
import io.elapse.connectors.ElapseKafka;
import io.elapse.connectors.ElapseTopics;
import io.elapse.connectors.EmbeddedKafka;
import io.elapse.connectors.KafkaConfig;
import io.elapse.model.LstmModel;
import io.elapse.model.ParameterLayout;
import io.elapse.model.export.Dl4jExport;
import io.elapse.pipeline.TestSettings;
import io.elapse.pipeline.config.ModelConfigs;
import io.elapse.pipeline.coordinator.CoordinatorCore;
import io.elapse.pipeline.modelloop.ModelIntegrity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;

class ModelCommandTest {

  private static final AvroCodec<ModelUpdate> CODEC = AvroCodec.of(ModelUpdate.class);

  @TempDir Path dir;

  /** Exit code and both streams of one in-process run. */
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = ElapseCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** A cold coordinator's update (version 1.0) of the small test model; {@code extra} overrides. */
  static ModelUpdate update(Map<String, String> extra) {
    return CoordinatorCore.cold(TestSettings.small(extra)).toUpdate(1_000L);
  }

  static LstmModel modelOf(Map<String, String> extra) {
    CoordinatorCore core = CoordinatorCore.cold(TestSettings.small(extra));
    return LstmModel.of(ModelConfigs.of(TestSettings.small(extra)), core.parameters());
  }

  static ModelUpdate tamperedParameters(ModelUpdate u) {
    byte[] p = new byte[u.getParameters().remaining()];
    u.getParameters().duplicate().get(p);
    p[p.length / 2] ^= 1;
    return ModelUpdate.newBuilder(u).setParameters(ByteBuffer.wrap(p)).build();
  }

  Path file(String name, ModelUpdate u) throws Exception {
    return Files.write(dir.resolve(name), CODEC.encode(u));
  }

  Path keyFile(String key) throws Exception {
    return Files.writeString(dir.resolve("key-" + key), key + "\n", StandardCharsets.UTF_8);
  }

  @Test
  void inspectPrintsVersionConfigurationStatsCalibrationAndIntegrity() throws Exception {
    Path f = file("m.avro", update(Map.of()));

    Run r = run("model", "inspect", "--file", f.toString());

    assertThat(r.code()).as(r.err()).isZero();
    int count = modelOf(Map.of()).parameters().length;
    assertThat(r.out())
        .contains("version:     1.0")
        .contains("variant:     DECAY")
        .contains("tasks:       a, b, c")
        .contains("hidden 8, embedding 4, buckets 64")
        .contains("parameters:  " + count + " (elapse-params-v1): embedding [64, 4]")
        .contains("stats:       labelsApplied 0, gradientBatches 0, meanLoss 0.0")
        .contains("platt a")
        .contains("integrity:   OK (sha-256), unsigned");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void inspectJsonIsOneParsableObject() throws Exception {
    Path f = file("m.avro", update(Map.of()));

    Run r = run("model", "inspect", "--file", f.toString(), "--json");

    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("version").asText()).isEqualTo("1.0");
    assertThat(j.get("config").get("tasks").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
    assertThat(j.get("config").get("hiddenSize").asInt()).isEqualTo(8);
    assertThat(j.get("parameterCount").asInt()).isEqualTo(modelOf(Map.of()).parameters().length);
    assertThat(j.get("calibration")).hasSize(3);
    assertThat(j.get("calibration").get(1).get("task").asText()).isEqualTo("b");
    assertThat(j.get("integrity").get("ok").asBoolean()).isTrue();
  }

  @Test
  void aTamperedUpdateFailsInspectWithTheChecksumProblem() throws Exception {
    Path f = file("tampered.avro", tamperedParameters(update(Map.of())));

    Run r = run("model", "inspect", "--file", f.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("integrity: FAILED: checksum mismatch for model version 1.0");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void withAKeyFileOnlyAnUpdateSignedWithThatKeyPasses() throws Exception {
    Path signed = file("signed.avro", update(Map.of("elapse.coordinator.hmac-key", "secret")));
    Path unsigned = file("unsigned.avro", update(Map.of()));

    Run ok =
        run(
            "model",
            "inspect",
            "--file",
            signed.toString(),
            "--hmac-key-file",
            "" + keyFile("secret"));
    Run wrongKey =
        run(
            "model",
            "inspect",
            "--file",
            signed.toString(),
            "--hmac-key-file",
            "" + keyFile("other"));
    Run noSignature =
        run(
            "model",
            "inspect",
            "--file",
            unsigned.toString(),
            "--hmac-key-file",
            "" + keyFile("secret"));

    Run unchecked = run("model", "inspect", "--file", signed.toString());

    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(unchecked.code()).as(unchecked.err()).isZero();
    assertThat(unchecked.out())
        .contains(
            "integrity:   OK (sha-256), signed: signature not checked without --hmac-key-file");
    assertThat(ok.out()).contains("integrity:   OK (sha-256, hmac)");
    assertThat(wrongKey.code()).isEqualTo(1);
    assertThat(wrongKey.err()).contains("integrity: FAILED: HMAC signature mismatch");
    assertThat(noSignature.code()).isEqualTo(1);
    assertThat(noSignature.err()).contains("integrity: FAILED: unsigned model update");
    for (Run r : List.of(ok, wrongKey, noSignature)) {
      assertThat(r.out() + r.err()).doesNotContain("secret");
    }
  }

  @Test
  void undecodableBytesFailWithTheDecodeReason() throws Exception {
    Path f = Files.write(dir.resolve("junk.avro"), new byte[] {1, 2, 3, 4, 5});

    Run r = run("model", "inspect", "--file", f.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("cannot decode the model update in file " + f);
  }

  @Test
  void exportNpyWritesOneArrayPerParameterGroupThatNd4jReads() throws Exception {
    Path f = file("m.avro", update(Map.of()));
    Path out = dir.resolve("npy");

    Run r = run("model", "export", "--npy", out.toString(), "--file", f.toString());

    assertThat(r.code()).as(r.err()).isZero();
    LstmModel expected = modelOf(Map.of());
    float[] p = expected.parameters();
    List<ParameterLayout.Segment> segments = expected.layout().segments();
    try (var files = Files.list(out)) {
      assertThat(files.count()).isEqualTo(segments.size());
    }
    for (ParameterLayout.Segment s : segments) {
      Path npy = out.resolve(s.group().name().toLowerCase(Locale.ROOT) + ".npy");
      INDArray a = Nd4j.createFromNpyFile(npy.toFile());
      assertThat(a.length()).as(npy.toString()).isEqualTo(s.length());
      assertThat(a.dataType()).isEqualTo(DataType.FLOAT);
      assertThat(a.data().asFloat())
          .as(npy.toString())
          .containsExactly(Arrays.copyOfRange(p, s.offset(), s.offset() + s.length()));
    }
  }

  @Test
  void exportDl4jOfANoneModelWritesANetworkDl4jLoads() throws Exception {
    Map<String, String> none = Map.of("elapse.model.variant", "NONE");
    Path f = file("none.avro", update(none));
    Path zip = dir.resolve("model.zip");

    Run r = run("model", "export", "--dl4j", zip.toString(), "--file", f.toString());

    assertThat(r.code()).as(r.err()).isZero();
    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(zip.toFile());
    MultiLayerNetwork expected = Dl4jExport.toNetwork(modelOf(none), DataType.FLOAT);
    assertThat(restored.params().data().asFloat())
        .containsExactly(expected.params().data().asFloat());
  }

  @Test
  void exportDl4jOfADecayModelFailsAndWritesNothing() throws Exception {
    Path f = file("decay.avro", update(Map.of()));
    Path zip = dir.resolve("model.zip");

    Run r = run("model", "export", "--dl4j", zip.toString(), "--file", f.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("needs a model of variant NONE").contains("is DECAY: use --npy");
    assertThat(zip).doesNotExist();
  }

  @Test
  void exportRefusesATamperedUpdate() throws Exception {
    Path f = file("tampered.avro", tamperedParameters(update(Map.of())));
    Path out = dir.resolve("npy");

    Run r = run("model", "export", "--npy", out.toString(), "--file", f.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("integrity: FAILED: checksum mismatch");
    assertThat(out).doesNotExist();
  }

  @Test
  void aSourceIsRequiredAndOnlyOne() throws Exception {
    Path f = file("m.avro", update(Map.of()));

    Run none = run("model", "inspect");
    Run both =
        run("model", "inspect", "--file", f.toString(), "--bootstrap-servers", "localhost:1");
    Run noTarget = run("model", "export", "--file", f.toString());

    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("Missing required argument").contains("--file");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");
    assertThat(noTarget.code()).isEqualTo(2);
    assertThat(noTarget.err()).contains("--npy").contains("--dl4j");
  }

  @Test
  void fromTheModelTopicInspectReadsTheNewestUpdateAndReportsATamperedOne() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      KafkaConfig config =
          KafkaConfig.builder()
              .bootstrapServers(kafka.bootstrapServers())
              .topics(ElapseTopics.withPrefix("mc."))
              .build();
      try (Admin admin = Admin.create(new ElapseKafka(config).adminProperties())) {
        admin.createTopics(List.of(new NewTopic("mc.model", 1, (short) 1))).all().get();
      }
      ModelUpdate v10 = update(Map.of());
      ModelUpdate v11 =
          ModelIntegrity.seal(
              ModelUpdate.newBuilder(v10).setVersion(new ModelVersion(1L, 1L)).build(), null);
      ModelUpdate v12Tampered =
          tamperedParameters(
              ModelIntegrity.seal(
                  ModelUpdate.newBuilder(v10).setVersion(new ModelVersion(1L, 2L)).build(), null));
      String[] topicArgs = {
        "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", "mc."
      };
      Map<String, Object> producerConfig = new HashMap<>();
      new ElapseKafka(config).producerProperties().forEach((k, v) -> producerConfig.put("" + k, v));
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig)) {
        send(producer, v10);
        send(producer, v11);

        Run good = run(concat(new String[] {"model", "inspect"}, topicArgs));

        assertThat(good.code()).as(good.err()).isZero();
        assertThat(good.out())
            .contains("source:      topic mc.model partition 0 offset 1")
            .contains("version:     1.1");
        assertThat(good.err())
            .contains("read 2 record(s) of topic mc.model: 0 failing the integrity check");

        send(producer, v12Tampered);

        Run bad = run(concat(new String[] {"model", "inspect"}, topicArgs));
        Run export =
            run(
                concat(
                    new String[] {"model", "export", "--npy", dir.resolve("npy").toString()},
                    topicArgs));

        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err())
            .contains("1 failing the integrity check, 0 undecodable; newest verified version: 1.1")
            .contains(
                "partition 0 offset 2: integrity: FAILED: checksum mismatch for model version 1.2");
        assertThat(export.code()).isEqualTo(1);
        assertThat(dir.resolve("npy")).doesNotExist();

        Run missing =
            run(
                "model",
                "inspect",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic-prefix",
                "nope.",
                "--timeout",
                "PT10S");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("topic nope.model does not exist");
      }
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, ModelUpdate u) throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                "mc.model",
                ElapseKafka.modelKey(u).getBytes(StandardCharsets.UTF_8),
                CODEC.encode(u)))
        .get();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
