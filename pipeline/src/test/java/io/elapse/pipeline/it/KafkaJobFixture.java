package io.elapse.pipeline.it;

import io.elapse.avro.DeadLetter;
import io.elapse.avro.ModelUpdate;
import io.elapse.avro.Prediction;
import io.elapse.connectors.AvroCodec;
import io.elapse.connectors.DecodeResult;
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
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** A real broker, topics per test, a job on a local MiniCluster, and read_committed readers. */
final class KafkaJobFixture implements AutoCloseable {

  final EmbeddedKafka kafka = EmbeddedKafka.start();

  void close0() {
    kafka.close();
  }

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
          List.of(t.events(), t.elapsed(), t.labels(), t.predictions(), t.deadLetters())) {
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
    Configuration conf = ElapseJob.environmentConfig(settings, new Configuration());
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    ElapseJob.configure(env, settings);
    return env;
  }

  /** Every committed record of {@code topic} decoded as {@code type} (undecodable ones skipped). */
  <T extends SpecificRecord> List<T> readAll(KafkaConfig config, String topic, Class<T> type) {
    Properties p = new ElapseKafka(config).consumerProperties();
    p.setProperty("group.id", "reader-" + System.nanoTime());
    p.setProperty("max.partition.fetch.bytes", String.valueOf(64 << 20));
    List<T> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> parts = new ArrayList<>();
      consumer
          .partitionsFor(topic)
          .forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline && !reached(consumer, end)) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          DecodeResult<T> d = AvroCodec.of(type).decode(r.value());
          if (d.isSuccess()) {
            out.add(d.record());
          }
        }
      }
    }
    return out;
  }

  private static boolean reached(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
    for (var e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
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
