package io.elapse.pipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.elapse.connectors.ElapseKafka;
import io.elapse.connectors.ElapseTopics;
import io.elapse.connectors.KafkaConfig;
import io.elapse.connectors.TopicAdministrator;
import io.elapse.connectors.TopicSpec;
import io.elapse.pipeline.cli.ElapseCli;
import io.elapse.pipeline.config.ElapseOptions;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.state.rocksdb.RocksDBNativeMetricOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import picocli.CommandLine.ParseResult;

/**
 * Parses every manifest under {@code deploy/k8s} and checks that it matches the build: entry class,
 * jar, image tag, settings keys, state backend, checkpoints, topics and their settings.
 */
class K8sManifestsTest {

  private static final Path K8S = Path.of("..", "deploy", "k8s");
  private static final String ND4J_PATTERNS = "org.nd4j.;org.deeplearning4j.;org.bytedeco.";

  private static List<Manifest> manifests;

  /** One YAML document and the file it came from. */
  private record Manifest(Path file, JsonNode doc) {
    String kind() {
      return doc.path("kind").asText();
    }

    String name() {
      return doc.path("metadata").path("name").asText();
    }
  }

  @BeforeAll
  static void parseAll() throws IOException {
    assertThat(K8S).as("deploy/k8s relative to " + Path.of("").toAbsolutePath()).isDirectory();
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<Path> files;
    try (Stream<Path> walk = Files.walk(K8S)) {
      files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).as("yaml files under " + K8S).isNotEmpty();
    List<Manifest> out = new ArrayList<>();
    for (Path file : files) {
      try (var parser = yaml.getFactory().createParser(file.toFile())) {
        var docs = yaml.readValues(parser, JsonNode.class);
        while (docs.hasNext()) {
          JsonNode doc = docs.next();
          if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
            out.add(new Manifest(file, doc));
          }
        }
      }
    }
    manifests = List.copyOf(out);
  }

  private static List<Manifest> ofKind(String kind) {
    return manifests.stream().filter(m -> m.kind().equals(kind)).toList();
  }

  private static Manifest single(String kind) {
    List<Manifest> found = ofKind(kind);
    assertThat(found).as("manifests of kind " + kind).hasSize(1);
    return found.get(0);
  }

  private static String text(JsonNode node, String what) {
    assertThat(node.isValueNode()).as(what + " set").isTrue();
    return node.asText();
  }

  /** A direct child element of the root pom's {@code <project>} (not of {@code <parent>}). */
  private static String pomValue(Path pom, String element) throws Exception {
    var factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Element project = factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
    for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(element)) {
        return e.getTextContent().trim();
      }
    }
    throw new AssertionError(pom + ": expected a <" + element + "> under <project>, found none");
  }

  @Test
  void everyDocumentHasApiVersionKindAndName() {
    assertThat(manifests).isNotEmpty();
    for (Manifest m : manifests) {
      String where = m.file() + " document " + m.doc().toString();
      assertThat(m.doc().path("apiVersion").asText()).as("apiVersion in " + where).isNotBlank();
      assertThat(m.kind()).as("kind in " + where).isNotBlank();
      assertThat(m.name()).as("metadata.name in " + where).isNotBlank();
    }
    assertThat(manifests.stream().map(Manifest::kind).collect(Collectors.toSet()))
        .contains("FlinkDeployment", "Kafka", "KafkaNodePool", "KafkaTopic");
  }

  @Test
  void flinkDeploymentRunsThisBuildsJobClassJarAndImage() throws Exception {
    JsonNode spec = single("FlinkDeployment").doc().path("spec");
    JsonNode job = spec.path("job");

    String entryClass = text(job.path("entryClass"), "job.entryClass");
    assertThat(entryClass).isEqualTo(ElapseCli.class.getName());
    assertThat(Class.forName(entryClass).getMethod("main", String[].class)).isNotNull();

    String artifactId = pomValue(Path.of("pom.xml"), "artifactId");
    assertThat(text(job.path("jarURI"), "job.jarURI"))
        .isEqualTo("local:///opt/flink/usrlib/" + artifactId + ".jar");

    String version = pomValue(Path.of("..", "pom.xml"), "version");
    String release = version.replace("-SNAPSHOT", "");
    assertThat(text(spec.path("image"), "spec.image")).isEqualTo("elapse/elapse:" + release);
    assertThat(spec.path("flinkVersion").asText()).isEqualTo("v2_2");
  }

  /** The shade plugin's execution in the pipeline pom: it builds the jar the manifests name. */
  @Test
  void theJobJarTheManifestNamesIsTheOneThePipelineBuilds() throws Exception {
    JsonNode job = single("FlinkDeployment").doc().path("spec").path("job");
    var factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Element project =
        factory.newDocumentBuilder().parse(Path.of("pom.xml").toFile()).getDocumentElement();
    Element shade = null;
    var plugins = project.getElementsByTagName("plugin");
    for (int i = 0; i < plugins.getLength(); i++) {
      Element plugin = (Element) plugins.item(i);
      if (plugin
          .getElementsByTagName("artifactId")
          .item(0)
          .getTextContent()
          .trim()
          .equals("maven-shade-plugin")) {
        shade = plugin;
      }
    }
    assertThat(shade).as("maven-shade-plugin in pipeline/pom.xml").isNotNull();
    String outputFile = shade.getElementsByTagName("outputFile").item(0).getTextContent().trim();
    String jarName = text(job.path("jarURI"), "job.jarURI").replaceAll(".*/", "");
    assertThat(
            outputFile.replace("${project.artifactId}", pomValue(Path.of("pom.xml"), "artifactId")))
        .isEqualTo("${project.build.directory}/" + jarName);
    assertThat(shade.getElementsByTagName("mainClass").item(0).getTextContent().trim())
        .isEqualTo(text(job.path("entryClass"), "job.entryClass"));
  }

  @Test
  void flinkDeploymentConfiguresStateCheckpointsAndNd4j() {
    JsonNode spec = single("FlinkDeployment").doc().path("spec");
    JsonNode conf = spec.path("flinkConfiguration");
    assertThat(text(conf.path("state.backend.type"), "state.backend.type")).isEqualTo("rocksdb");
    assertThat(text(conf.path("execution.checkpointing.dir"), "execution.checkpointing.dir"))
        .startsWith("s3://");
    assertThat(text(conf.path("execution.checkpointing.savepoint-dir"), "savepoint dir"))
        .startsWith("s3://");
    assertThat(
            text(
                conf.path("classloader.parent-first-patterns.additional"),
                "classloader.parent-first-patterns.additional"))
        .isEqualTo(ND4J_PATTERNS);
    String javaOpts = text(conf.path("env.java.opts.all"), "env.java.opts.all");
    for (String pkg :
        List.of(
            "java.lang",
            "java.net",
            "java.io",
            "java.nio",
            "sun.nio.ch",
            "java.lang.reflect",
            "java.text",
            "java.time",
            "java.util",
            "java.util.concurrent",
            "java.util.concurrent.atomic",
            "java.util.concurrent.locks")) {
      assertThat(javaOpts).contains("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
    }
    assertThat(javaOpts).contains("-Dorg.bytedeco.javacpp.cachedir=");
    assertThat(javaOpts).contains("--add-modules=jdk.incubator.vector");
    assertThat(javaOpts).contains(io.elapse.model.cell.Kernels.INLINE_OPTION);

    JsonNode container = spec.path("podTemplate").path("spec").path("containers").path(0);
    Map<String, String> env = new HashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    assertThat(env).containsEntry("OMP_NUM_THREADS", "1");

    assertThat(spec.path("job").path("parallelism").asInt(0)).isGreaterThanOrEqualTo(1);
    assertThat(spec.path("taskManager").path("resource").path("memory").asText()).isNotBlank();
    assertThat(spec.path("jobManager").path("resource").path("memory").asText()).isNotBlank();
  }

  /** The current keys of every {@link ConfigOption} declared in {@code holders}. */
  private static Set<String> optionKeys(Class<?>... holders) throws IllegalAccessException {
    Set<String> keys = new java.util.TreeSet<>();
    for (Class<?> holder : holders) {
      for (Field f : holder.getFields()) {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
          keys.add(((ConfigOption<?>) f.get(null)).key());
        }
      }
    }
    return keys;
  }

  @Test
  void flinkConfigurationUsesOnlyCurrentFlinkOptionKeys() throws Exception {
    Set<String> known =
        optionKeys(
            CoreOptions.class,
            CheckpointingOptions.class,
            StateBackendOptions.class,
            PipelineOptions.class,
            HighAvailabilityOptions.class,
            RestartStrategyOptions.class,
            TaskManagerOptions.class,
            RocksDBOptions.class,
            RocksDBNativeMetricOptions.class);
    JsonNode conf = single("FlinkDeployment").doc().path("spec").path("flinkConfiguration");
    List<String> keys = new ArrayList<>();
    conf.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).isNotEmpty();
    assertThat(keys.stream().filter(k -> !known.contains(k)).toList())
        .as("flinkConfiguration keys that are not current Flink 2.2 option keys")
        .isEmpty();
  }

  @Test
  void jobArgsParseAsTheRunCommandAndAgreeWithTheFlinkConfiguration() {
    JsonNode spec = single("FlinkDeployment").doc().path("spec");
    List<String> args = new ArrayList<>();
    spec.path("job").path("args").forEach(a -> args.add(a.asText()));

    ParseResult parsed = ElapseCli.commandLine().parseArgs(args.toArray(String[]::new));
    assertThat(parsed.subcommand()).as("subcommand of " + args).isNotNull();
    ParseResult run = parsed.subcommand();
    assertThat(run.commandSpec().name()).isEqualTo("run");

    Map<String, String> settings = run.matchedOptionValue("-D", Map.<String, String>of());
    Set<String> known =
        ElapseOptions.all().stream().map(o -> o.key()).collect(Collectors.toUnmodifiableSet());
    assertThat(known).containsAll(settings.keySet());
    // The job sets backend and parallelism itself from these keys, overriding Flink's config.
    assertThat(settings).containsEntry("elapse.state.backend", "rocksdb");
    assertThat(settings)
        .containsEntry(
            "elapse.parallelism", String.valueOf(spec.path("job").path("parallelism").asInt()));

    String cluster = single("Kafka").name();
    String namespace = single("Kafka").doc().path("metadata").path("namespace").asText();
    String bootstrap = run.matchedOptionValue("--bootstrap-servers", "");
    assertThat(bootstrap).startsWith(cluster + "-kafka-bootstrap." + namespace + ".svc:");
    assertThat(run.matchedOptionValue("--topic-prefix", "elapse.")).isEqualTo("elapse.");
  }

  @Test
  void strimziResourcesBelongToTheKafkaCluster() {
    String cluster = single("Kafka").name();
    for (String kind : List.of("KafkaNodePool", "KafkaTopic")) {
      for (Manifest m : ofKind(kind)) {
        assertThat(m.doc().path("metadata").path("labels").path("strimzi.io/cluster").asText())
            .as("strimzi.io/cluster label of " + kind + " " + m.name())
            .isEqualTo(cluster);
      }
    }
    JsonNode config = single("Kafka").doc().path("spec").path("kafka").path("config");
    long maxTimeout = config.path("transaction.max.timeout.ms").asLong(900_000L);
    assertThat(maxTimeout)
        .as("broker transaction.max.timeout.ms above the sinks' transaction.timeout.ms")
        .isGreaterThan(KafkaConfig.DEFAULT_TRANSACTION_TIMEOUT.toMillis());
  }

  @Test
  void topicsAreTheSevenDefaultElapseTopicsWithTheCodesSettings() {
    ElapseTopics defaults = ElapseTopics.defaults();
    Map<String, JsonNode> byName = new HashMap<>();
    for (Manifest m : ofKind("KafkaTopic")) {
      JsonNode spec = m.doc().path("spec");
      String name = spec.path("topicName").asText(m.name());
      assertThat(defaults.all()).as("topic of KafkaTopic " + m.name()).contains(name);
      assertThat(byName.put(name, spec)).as("duplicate topic " + name).isNull();
    }
    assertThat(byName.keySet()).containsExactlyInAnyOrderElementsOf(defaults.all());

    int parallelism =
        single("FlinkDeployment").doc().path("spec").path("job").path("parallelism").asInt();
    for (TopicSpec expected : TopicAdministrator.elapseTopics(defaults, 1, (short) 1)) {
      JsonNode spec = byName.get(expected.name());
      JsonNode config = spec.path("config");
      expected
          .configs()
          .forEach(
              (key, value) ->
                  assertThat(config.path(key).asText())
                      .as("topic " + expected.name() + " config " + key)
                      .isEqualTo(value));
      int partitions = spec.path("partitions").asInt(0);
      if (expected.name().equals(defaults.model())) {
        assertThat(partitions).as("partitions of " + expected.name()).isEqualTo(1);
      } else {
        assertThat(partitions)
            .as("partitions of " + expected.name() + " vs job parallelism")
            .isGreaterThanOrEqualTo(parallelism);
      }
    }
    JsonNode model = byName.get(defaults.model()).path("config");
    assertThat(model.path("cleanup.policy").asText()).isEqualTo("compact");
    assertThat(model.path("max.message.bytes").asLong())
        .isGreaterThanOrEqualTo(ElapseKafka.MAX_MODEL_BYTES);
  }
}
