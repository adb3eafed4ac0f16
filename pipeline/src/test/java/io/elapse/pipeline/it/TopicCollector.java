package io.elapse.pipeline.it;

import io.elapse.connectors.AvroCodec;
import io.elapse.connectors.DecodeResult;
import io.elapse.connectors.ElapseKafka;
import io.elapse.connectors.KafkaConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Collects the committed records of one topic incrementally (read_committed, from the start). */
final class TopicCollector<T extends SpecificRecord> implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AvroCodec<T> codec;
  private final List<T> records = new ArrayList<>();
  private int undecodable;

  TopicCollector(KafkaConfig config, String topic, Class<T> type) {
    this(config, topic, type, true);
  }

  /**
   * As {@link #TopicCollector(KafkaConfig, String, Class)}; with {@code committedOnly} false it
   * reads read_uncommitted, which shows records of open and aborted transactions too.
   */
  TopicCollector(KafkaConfig config, String topic, Class<T> type, boolean committedOnly) {
    Properties p = new ElapseKafka(config).consumerProperties();
    if (!committedOnly) {
      p.setProperty("isolation.level", "read_uncommitted");
    }
    p.setProperty("group.id", "collector-" + topic + "-" + System.nanoTime());
    p.setProperty("max.partition.fetch.bytes", String.valueOf(64 << 20));
    consumer = new KafkaConsumer<>(p);
    List<TopicPartition> parts = new ArrayList<>();
    consumer
        .partitionsFor(topic, Duration.ofSeconds(10))
        .forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    codec = AvroCodec.of(type);
  }

  /** Polls what is new (up to {@code rounds} polls of 100 ms) and returns everything so far. */
  List<T> poll(int rounds) {
    for (int i = 0; i < rounds; i++) {
      var batch = consumer.poll(Duration.ofMillis(100));
      for (ConsumerRecord<byte[], byte[]> r : batch) {
        DecodeResult<T> d = codec.decode(r.value());
        if (d.isSuccess()) {
          records.add(d.record());
        } else {
          undecodable++;
        }
      }
      if (batch.isEmpty()) {
        break;
      }
    }
    return records;
  }

  /**
   * Polls until this consumer has reached the end offsets the topic had when the call started (for
   * read_committed, the last stable offsets), then returns everything. Fails after a minute.
   */
  List<T> drain() {
    var parts = consumer.assignment();
    Map<TopicPartition, Long> end = consumer.endOffsets(parts, Duration.ofSeconds(10));
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("could not read " + parts + " up to " + end + " in 1 min");
      }
      poll(20);
    }
    return records;
  }

  int undecodable() {
    return undecodable;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
