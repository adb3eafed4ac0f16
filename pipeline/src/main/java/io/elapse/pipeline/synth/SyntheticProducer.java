package io.elapse.pipeline.synth;

import io.elapse.avro.Event;
import io.elapse.avro.Label;
import io.elapse.connectors.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes a generated stream to Kafka: events and labels interleaved by time (a label is sent once
 * the stream's event time has passed its label time), keyed by entity, optionally paced to a rate.
 */
public final class SyntheticProducer implements AutoCloseable {

  private final KafkaProducer<byte[], byte[]> producer;

  /** A producer with {@code clientProperties} (bootstrap servers, security) added. */
  public SyntheticProducer(Properties clientProperties) {
    Properties p = new Properties();
    p.putAll(clientProperties);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
    p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    this.producer = new KafkaProducer<>(p);
  }

  /**
   * Sends the stream. {@code eventsPerSecond <= 0} sends as fast as possible; {@code progress}
   * receives the number of events sent so far every 1,000 events. Returns when all are
   * acknowledged.
   */
  public void send(
      SyntheticStream.Generated stream,
      String eventsTopic,
      String labelsTopic,
      double eventsPerSecond,
      LongConsumer progress) {
    AvroCodec<Event> events = AvroCodec.of(Event.class);
    AvroCodec<Label> labels = AvroCodec.of(Label.class);
    List<SyntheticStream.GeneratedLabel> pending = stream.labels();
    int nextLabel = 0;
    long start = System.nanoTime();
    long sent = 0;
    for (SyntheticStream.GeneratedEvent ge : stream.events()) {
      Event e = ge.event();
      long now = e.getEventTime().toEpochMilli();
      while (nextLabel < pending.size()
          && pending.get(nextLabel).label().getLabelTime().toEpochMilli() <= now) {
        Label l = pending.get(nextLabel++).label();
        producer.send(
            record(
                labelsTopic, l.getEntityId(), labels.encode(l), l.getLabelTime().toEpochMilli()));
      }
      producer.send(record(eventsTopic, e.getEntityId(), events.encode(e), now));
      sent++;
      if (progress != null && sent % 1000 == 0) {
        progress.accept(sent);
      }
      // Pace in small steps: bursts of 1,000 events made the job train in bursts too.
      if (sent % 20 == 0) {
        pace(start, sent, eventsPerSecond);
      }
    }
    while (nextLabel < pending.size()) {
      Label l = pending.get(nextLabel++).label();
      producer.send(
          record(labelsTopic, l.getEntityId(), labels.encode(l), l.getLabelTime().toEpochMilli()));
    }
    producer.flush();
    if (progress != null) {
      progress.accept(sent);
    }
  }

  /** Sends one raw record (for malformed-input tests and tools). */
  public void sendRaw(String topic, String key, byte[] value, long timestamp) {
    producer.send(record(topic, key, value, timestamp));
  }

  /** Waits until everything sent is acknowledged. */
  public void flush() {
    producer.flush();
  }

  private static ProducerRecord<byte[], byte[]> record(
      String topic, String key, byte[] value, long timestamp) {
    return new ProducerRecord<>(
        topic, null, timestamp, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
  }

  private static void pace(long startNanos, long sent, double rate) {
    if (rate <= 0) {
      return;
    }
    long due = startNanos + (long) (sent / rate * 1e9);
    long wait = due - System.nanoTime();
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
