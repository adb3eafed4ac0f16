package io.elapse.pipeline.it;

import io.elapse.avro.DeadLetter;
import io.elapse.avro.ModelUpdate;
import io.elapse.avro.Prediction;
import io.elapse.connectors.ElapseKafka;
import io.elapse.connectors.ElapseTopics;
import io.elapse.connectors.EmbeddedKafka;
import io.elapse.connectors.KafkaConfig;
import io.elapse.connectors.StartPosition;
import io.elapse.pipeline.ElapseJob;
import io.elapse.pipeline.config.JobSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/** A real broker, topics per test, a job on a local MiniCluster, and read_committed readers. */
final class KafkaJobFixture implements AutoCloseable {

  final EmbeddedKafka kafka = EmbeddedKafka.start();

  @Override
  public void close() {
    kafka.close();
  }

  /** A Kafka config for topics under {@code prefix}, created with {@code partitions} each. */
  KafkaConfig topics(String prefix, int partitions) throws Exception {
    KafkaConfig config =
        KafkaConfig.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .topics(ElapseTopics.withPrefix(prefix))
            .groupId(prefix + "group")
            .startPosition(StartPosition.EARLIEST)
            .transactionalIdPrefix(prefix + "tx")
            .build();
    ElapseTopics t = config.topics();
    try (Admin admin = Admin.create(new ElapseKafka(config).adminProperties())) {
      List<NewTopic> topics = new ArrayList<>();
      for (String name :
          List.of(
              t.events(),
              t.elapsed(),
              t.labels(),
              t.predictions(),
              t.deadLetters(),
              t.evaluation())) {
        topics.add(new NewTopic(name, partitions, (short) 1));
      }
      topics.add(
          new NewTopic(t.model(), 1, (short) 1)
              .configs(Map.of("cleanup.policy", "compact", "max.message.bytes", "16777216")));
      admin.createTopics(topics).all().get();
    }
    return config;
  }

  /** A local environment (MiniCluster) for {@code settings}, with restarts allowed. */
  static StreamExecutionEnvironment environment(JobSettings settings) {
    return environment(settings, new Configuration());
  }

  /** As {@link #environment(JobSettings)}, starting from {@code base} (e.g. metric reporters). */
  static StreamExecutionEnvironment environment(JobSettings settings, Configuration base) {
    Configuration conf = ElapseJob.environmentConfig(settings, base);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    ElapseJob.configure(env, settings);
    return env;
  }

  /** Every committed record of {@code topic} decoded as {@code type} (undecodable ones skipped). */
  <T extends SpecificRecord> List<T> readAll(KafkaConfig config, String topic, Class<T> type) {
    try (TopicCollector<T> c = new TopicCollector<>(config, topic, type)) {
      return new ArrayList<>(c.drain());
    }
  }

  List<Prediction> predictions(KafkaConfig c) {
    return readAll(c, c.topics().predictions(), Prediction.class);
  }

  List<DeadLetter> deadLetters(KafkaConfig c) {
    return readAll(c, c.topics().deadLetters(), DeadLetter.class);
  }

  List<ModelUpdate> modelUpdates(KafkaConfig c) {
    return readAll(c, c.topics().model(), ModelUpdate.class);
  }

  /** Polls {@code condition} every 500 ms until it holds or {@code timeout} passes. */
  static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(500);
    }
    return condition.getAsBoolean();
  }
}
