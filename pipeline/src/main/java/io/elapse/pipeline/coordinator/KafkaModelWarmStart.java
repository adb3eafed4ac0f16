package io.elapse.pipeline.coordinator;

import io.elapse.avro.ModelUpdate;
import io.elapse.connectors.AvroCodec;
import io.elapse.connectors.DecodeResult;
import io.elapse.connectors.ElapseKafka;
import io.elapse.connectors.KafkaConfig;
import io.elapse.pipeline.modelloop.ModelIntegrity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted model topic from the beginning to its end and returns the newest model update
 * that passes the integrity check. Updates that fail it are skipped with a warning.
 */
public final class KafkaModelWarmStart implements ModelWarmStart {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaModelWarmStart.class);

  private final KafkaConfig kafka;
  private final String hmacKey;
  private final Duration timeout;

  /** Reads {@code kafka.topics().model()}, verifying with {@code hmacKey} when not null. */
  public KafkaModelWarmStart(KafkaConfig kafka, String hmacKey, Duration timeout) {
    this.kafka = kafka;
    this.hmacKey = hmacKey;
    this.timeout = timeout;
  }

  @Override
  public Optional<ModelUpdate> latest() {
    Properties p = new ElapseKafka(kafka).consumerProperties();
    p.setProperty("group.id", kafka.groupId() + "-warm-start");
    p.setProperty("enable.auto.commit", "false");
    p.setProperty("max.partition.fetch.bytes", String.valueOf(64 << 20));
    String topic = kafka.topics().model();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      var infos = consumer.partitionsFor(topic, timeout);
      if (infos == null || infos.isEmpty()) {
        return Optional.empty();
      }
      List<TopicPartition> partitions = new ArrayList<>();
      infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      ModelUpdate best = null;
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!reached(consumer, end) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          DecodeResult<ModelUpdate> d = AvroCodec.of(ModelUpdate.class).decode(r.value());
          if (!d.isSuccess()) {
            LOG.warn(
                "skipping undecodable model update at {}@{}: {}",
                r.partition(),
                r.offset(),
                d.message());
            continue;
          }
          ModelIntegrity.Verdict v = ModelIntegrity.verify(d.record(), hmacKey);
          if (!v.ok()) {
            LOG.warn("skipping model update at {}@{}: {}", r.partition(), r.offset(), v.problem());
            continue;
          }
          if (best == null || newer(d.record(), best)) {
            best = d.record();
          }
        }
      }
      return Optional.ofNullable(best);
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

  private static boolean newer(ModelUpdate a, ModelUpdate b) {
    long ea = a.getVersion().getEpoch();
    long eb = b.getVersion().getEpoch();
    return ea > eb || (ea == eb && a.getVersion().getStep() > b.getVersion().getStep());
  }
}
