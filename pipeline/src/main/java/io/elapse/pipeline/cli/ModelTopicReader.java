package io.elapse.pipeline.cli;

import io.elapse.avro.ModelUpdate;
import io.elapse.connectors.AvroCodec;
import io.elapse.connectors.DecodeResult;
import io.elapse.connectors.ElapseKafka;
import io.elapse.connectors.KafkaConfig;
import io.elapse.pipeline.modelloop.ModelIntegrity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the model topic from its beginning to its end and returns the newest FULL-snapshot record
 * (the last written: highest timestamp, then offset), whatever it holds, so that {@code ./elapse
 * model} reports a tampered or undecodable latest update instead of skipping it. Records keyed
 * {@code delta} are passed over. Every record read is decoded and verified for the summary.
 */
final class ModelTopicReader {

  /**
   * The newest record of the topic.
   *
   * @param origin where it was read, e.g. "topic elapse.model partition 0 offset 7"
   * @param bytes its value
   * @param summary what the whole topic held, or null when not read from a topic
   */
  record Latest(String origin, byte[] bytes, String summary) {}

  private final KafkaConfig kafka;
  private final String hmacKey;
  private final Duration timeout;

  /** Reads {@code kafka.topics().model()}, verifying with {@code hmacKey} when not null. */
  ModelTopicReader(KafkaConfig kafka, String hmacKey, Duration timeout) {
    this.kafka = kafka;
    this.hmacKey = hmacKey;
    this.timeout = timeout;
  }

  /**
   * The newest FULL-snapshot record.
   *
   * @throws ModelCommand.ModelCommandException when the topic is missing or empty, or its end is
   *     not reached within the timeout
   */
  Latest latest() {
    Properties p = new ElapseKafka(kafka).consumerProperties();
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.setProperty(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    p.setProperty(
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
        String.valueOf(ElapseKafka.MAX_MODEL_BYTES));
    String topic = kafka.topics().model();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      List<PartitionInfo> infos;
      try {
        infos = consumer.partitionsFor(topic, timeout);
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        throw new ModelCommand.ModelCommandException(
            "no answer from "
                + kafka.bootstrapServers()
                + " about topic "
                + topic
                + " within "
                + timeout
                + ": "
                + e.getMessage(),
            e);
      }
      if (infos == null || infos.isEmpty()) {
        throw new ModelCommand.ModelCommandException(
            "topic " + topic + " does not exist on " + kafka.bootstrapServers());
      }
      List<TopicPartition> partitions = new ArrayList<>();
      infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      Scan scan = new Scan();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!reached(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new ModelCommand.ModelCommandException(
              "did not reach the end of topic " + topic + " within " + timeout + " (--timeout)");
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          scan.accept(r);
        }
      }
      if (scan.latest == null) {
        throw new ModelCommand.ModelCommandException(
            "topic " + topic + " holds no FULL model update (" + scan.records + " records read)");
      }
      ConsumerRecord<byte[], byte[]> r = scan.latest;
      return new Latest(
          "topic " + topic + " partition " + r.partition() + " offset " + r.offset(),
          r.value(),
          scan.summary(topic));
    }
  }

  /** Counts and the newest record, updated record by record. */
  private final class Scan {
    long records;
    long undecodable;
    long failing;
    String newestVerified;
    long newestEpoch = -1;
    long newestStep = -1;
    ConsumerRecord<byte[], byte[]> latest;

    void accept(ConsumerRecord<byte[], byte[]> r) {
      records++;
      if (r.key() != null && "delta".equals(new String(r.key(), StandardCharsets.UTF_8))) {
        return;
      }
      if (r.value() == null) {
        return; // a tombstone
      }
      if (latest == null
          || r.timestamp() > latest.timestamp()
          || (r.timestamp() == latest.timestamp() && r.offset() > latest.offset())) {
        latest = r;
      }
      DecodeResult<ModelUpdate> d = AvroCodec.of(ModelUpdate.class).decode(r.value());
      if (!d.isSuccess()) {
        undecodable++;
        return;
      }
      if (!ModelIntegrity.verify(d.record(), hmacKey).ok()) {
        failing++;
        return;
      }
      long e = d.record().getVersion().getEpoch();
      long s = d.record().getVersion().getStep();
      if (e > newestEpoch || (e == newestEpoch && s > newestStep)) {
        newestEpoch = e;
        newestStep = s;
        newestVerified = ModelCommand.versionOf(d.record());
      }
    }

    String summary(String topic) {
      return "read "
          + records
          + " record(s) of topic "
          + topic
          + ": "
          + failing
          + " failing the integrity check, "
          + undecodable
          + " undecodable; newest verified version: "
          + (newestVerified == null ? "none" : newestVerified);
    }
  }

  private static boolean reached(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
    for (var e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
