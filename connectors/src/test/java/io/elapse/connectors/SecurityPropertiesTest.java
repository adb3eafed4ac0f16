package io.elapse.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.DeadLetter;
import io.elapse.avro.Event;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Client security properties reach every client's configuration, and their secrets never appear in
 * logs, {@code toString()}, or the tail command's output and help.
 */
class SecurityPropertiesTest {

  static final String JAAS_SECRET = "Jaas-S3cret-4711";
  static final String TRUST_SECRET = "Trust-S3cret-0815";
  static final Map<String, String> SECURITY =
      Map.of(
          // PLAINTEXT so the real (plaintext) broker accepts the clients; the secret-bearing
          // settings are still parsed and logged by every Kafka client.
          "security.protocol", "PLAINTEXT",
          "sasl.mechanism", "PLAIN",
          "sasl.jaas.config",
              "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"elapse\""
                  + " password=\""
                  + JAAS_SECRET
                  + "\";",
          "ssl.truststore.password", TRUST_SECRET,
          "client.dns.lookup", "use_all_dns_ips");

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(1)
              .build());

  static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  static void writeProperties(Path file) throws Exception {
    Properties p = new Properties();
    p.putAll(SECURITY);
    try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(out, "test client security");
    }
  }

  @Test
  void securityPropertiesFromAFileReachEveryClientConfiguration(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("client.properties");
    writeProperties(file);
    ElapseKafka connectors =
        new ElapseKafka(
            KafkaConfig.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .clientPropertiesFile(file)
                .build());

    for (Properties props :
        List.of(
            connectors.consumerProperties(),
            connectors.producerProperties(),
            connectors.adminProperties(),
            (Properties) field(connectors.source("t"), KafkaSource.class, "props"),
            (Properties)
                field(
                    connectors.sink(
                        DeadLetter.class,
                        "dl",
                        DeadLetter::getSourceTopic,
                        DeliveryGuarantee.EXACTLY_ONCE),
                    KafkaSink.class,
                    "kafkaProducerConfig"))) {
      assertThat(props).containsAllEntriesOf(SECURITY);
    }
    Properties sink =
        (Properties)
            field(
                connectors.sink(
                    Event.class, "p", Event::getEntityId, DeliveryGuarantee.EXACTLY_ONCE),
                KafkaSink.class,
                "kafkaProducerConfig");
    assertThat(sink).containsEntry("transaction.timeout.ms", "300000");
    Properties source = (Properties) field(connectors.source("t"), KafkaSource.class, "props");
    assertThat(source).containsEntry("isolation.level", "read_committed");
  }

  @Test
  void toStringRedactsSecrets() {
    KafkaConfig config =
        KafkaConfig.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .clientProperties(SECURITY)
            .build();

    String text = config.toString();
    assertThat(text).doesNotContain(JAAS_SECRET).doesNotContain(TRUST_SECRET);
    assertThat(text)
        .contains("sasl.jaas.config=[redacted]")
        .contains("security.protocol=PLAINTEXT");
    assertThat(new ElapseKafka(config).toString()).doesNotContain(JAAS_SECRET);
  }

  @Test
  void realClientsWorkWithThePropertiesAndNeverLogTheSecrets() throws Exception {
    String topic = KafkaTestSupport.uniqueTopic("secure");
    ElapseKafka connectors =
        new ElapseKafka(
            KafkaConfig.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(KafkaTestSupport.uniqueTopic("g"))
                .clientProperties(SECURITY)
                .build());

    List<String> logged =
        captureLogs(
            Level.DEBUG,
            () -> {
              try (Admin admin = Admin.create(connectors.adminProperties())) {
                admin
                    .createTopics(
                        List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1)))
                    .all()
                    .get();
              }
              try (KafkaProducer<byte[], byte[]> producer =
                  new KafkaProducer<>(connectors.producerProperties())) {
                producer
                    .send(
                        new ProducerRecord<>(
                            topic, AvroCodec.of(Event.class).encode(Samples.event("u", "e"))))
                    .get();
              }
              try (KafkaConsumer<byte[], byte[]> consumer =
                  new KafkaConsumer<>(connectors.consumerProperties())) {
                TopicPartition tp = new TopicPartition(topic, 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                int read = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (read == 0 && System.nanoTime() < deadline) {
                  read += consumer.poll(Duration.ofMillis(200)).count();
                }
                assertThat(read).isEqualTo(1);
              }
            });

    String all = String.join("\n", logged);
    assertThat(all).contains("ConsumerConfig values").contains("ProducerConfig values");
    assertThat(all).contains("sasl.jaas.config = [hidden]");
    assertThat(all).doesNotContain(JAAS_SECRET).doesNotContain(TRUST_SECRET);
  }

  @Test
  void tailNeverPrintsSecretsInItsOutputOrHelp(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("client.properties");
    writeProperties(file);
    String topic = KafkaTestSupport.uniqueTopic("tail-secure");
    KafkaTestSupport.createTopic(kafka.bootstrapServers(), topic, 1);
    KafkaTestSupport.produce(
        kafka.bootstrapServers(),
        List.of(
            new ProducerRecord<>(
                topic, AvroCodec.of(Event.class).encode(Samples.event("u", "e")))));

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine tail = new CommandLine(new TailCommand());
    tail.setOut(new PrintWriter(out));
    tail.setErr(new PrintWriter(err));
    int code =
        tail.execute(
            topic,
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--from-beginning",
            "--max-records",
            "1",
            "--timeout-ms",
            "20000",
            "--command-config",
            file.toString());
    StringWriter help = new StringWriter();
    new CommandLine(new TailCommand()).usage(new PrintWriter(help));

    assertThat(code).isZero();
    assertThat(out.toString()).contains("\"type\":\"Event\"");
    for (String text : List.of(out.toString(), err.toString(), help.toString())) {
      assertThat(text).doesNotContain(JAAS_SECRET).doesNotContain(TRUST_SECRET);
    }
    assertThat(help.toString()).contains("--command-config");
  }

  @Test
  void aFlinkJobWithSourceAndExactlyOnceSinkNeverLogsTheSecrets() throws Exception {
    String in = KafkaTestSupport.uniqueTopic("secure-in");
    String out = KafkaTestSupport.uniqueTopic("secure-out");
    KafkaTestSupport.createTopic(kafka.bootstrapServers(), in, 1);
    KafkaTestSupport.createTopic(kafka.bootstrapServers(), out, 1);
    KafkaTestSupport.produce(
        kafka.bootstrapServers(),
        List.of(
            new ProducerRecord<>(in, AvroCodec.of(Event.class).encode(Samples.event("u", "e1"))),
            new ProducerRecord<>(in, new byte[] {9, 9, 9})));
    ElapseKafka connectors =
        new ElapseKafka(
            KafkaConfig.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(KafkaTestSupport.uniqueTopic("g"))
                .startPosition(StartPosition.EARLIEST)
                .transactionalIdPrefix(KafkaTestSupport.uniqueTopic("tx"))
                .clientProperties(SECURITY)
                .build());

    List<String> logged =
        captureLogs(
            Level.INFO,
            () -> {
              StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
              env.setParallelism(1);
              env.enableCheckpointing(300);
              env.fromSource(
                      connectors
                          .sourceBuilder(in)
                          .setBounded(
                              org.apache.flink.connector.kafka.source.enumerator.initializer
                                  .OffsetsInitializer.latest())
                          .build(),
                      WatermarkStrategy.noWatermarks(),
                      "in")
                  .process(new DecodeFunction<>(Event.class))
                  .getSideOutput(DecodeFunction.DEAD_LETTERS)
                  .sinkTo(connectors.deadLetterSink("decode"));
              env.execute("secure-job");
            });

    String all = String.join("\n", logged);
    assertThat(all).contains("ConsumerConfig values").contains("ProducerConfig values");
    assertThat(all).doesNotContain(JAAS_SECRET).doesNotContain(TRUST_SECRET);
  }

  interface Action {
    void run() throws Exception;
  }

  /** Runs {@code action} with every log event at {@code level} or above captured. */
  static List<String> captureLogs(Level level, Action action) throws Exception {
    ConcurrentLinkedQueue<String> logged = new ConcurrentLinkedQueue<>();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    AbstractAppender capture =
        new AbstractAppender("capture-" + level, null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            logged.add(event.getMessage().getFormattedMessage());
            if (event.getThrown() != null) {
              logged.add(String.valueOf(event.getThrown()));
            }
          }
        };
    capture.start();
    context.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
    Configurator.setRootLevel(level);
    try {
      action.run();
    } finally {
      Configurator.setRootLevel(Level.WARN);
      context.getConfiguration().getRootLogger().removeAppender(capture.getName());
      capture.stop();
    }
    return List.copyOf(logged);
  }

  private static Object field(Object target, Class<?> owner, String name) throws Exception {
    Field f = owner.getDeclaredField(name);
    f.setAccessible(true);
    return f.get(target);
  }
}
