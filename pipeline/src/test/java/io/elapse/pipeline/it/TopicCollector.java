package io.elapse.pipeline.it;

import io.elapse.connectors.AvroCodec;
import io.elapse.connectors.DecodeResult;
import io.elapse.connectors.ElapseKafka;
import io.elapse.connectors.KafkaConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    Properties p = new ElapseKafka(config).consumerProperties();
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

  /** Polls until nothing new arrives, then returns everything. */
  List<T> drain() {
    int before;
    do {
      before = records.size();
      poll(20);
    } while (records.size() > before);
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
