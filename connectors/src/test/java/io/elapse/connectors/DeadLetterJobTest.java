package io.elapse.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.DeadLetter;
import io.elapse.avro.Event;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * End to end on a real broker and a Flink MiniCluster: Kafka → RawRecord → decode → events to a
 * collecting sink, failures as dead letters to the dead-letter topic through the exactly-once sink.
 */
class DeadLetterJobTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
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

  @Test
  void badRecordsBecomeDeadLettersAndTheRecordsAroundThemAreDelivered() throws Exception {
    String in = KafkaTestSupport.uniqueTopic("events");
    String dead = KafkaTestSupport.uniqueTopic("dead-letters");
    KafkaTestSupport.createTopic(kafka.bootstrapServers(), in, 1);
    KafkaTestSupport.createTopic(kafka.bootstrapServers(), dead, 1);
    AvroCodec<Event> codec = AvroCodec.of(Event.class);
    byte[] truncated = Arrays.copyOf(codec.encode(Samples.event("u-3", "e-3")), 14);
    byte[] unknownFingerprint = codec.encode(Samples.event("u-5", "e-5"));
    unknownFingerprint[9] ^= 0x11;
    byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
    List<ProducerRecord<byte[], byte[]>> records =
        List.of(
            good(in, "e-0"), // offset 0
            new ProducerRecord<>(in, key("u-1"), garbage), // 1
            good(in, "e-2"), // 2
            new ProducerRecord<>(in, key("u-3"), truncated), // 3
            good(in, "e-4"), // 4
            new ProducerRecord<>(in, key("u-5"), unknownFingerprint), // 5
            good(in, "e-6"), // 6
            new ProducerRecord<>(in, key("u-7"), null), // 7
            good(in, "e-8")); // 8
    KafkaTestSupport.produce(kafka.bootstrapServers(), records);

    KafkaConfig config =
        KafkaConfig.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(KafkaTestSupport.uniqueTopic("group"))
            .startPosition(StartPosition.EARLIEST)
            .transactionalIdPrefix(KafkaTestSupport.uniqueTopic("tx"))
            .transactionTimeout(Duration.ofMinutes(1))
            .build();
    ElapseKafka connectors = new ElapseKafka(config);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    env.enableCheckpointing(500);
    SingleOutputStreamOperator<Event> events =
        env.fromSource(
                connectors.sourceBuilder(in).setBounded(OffsetsInitializer.latest()).build(),
                WatermarkStrategy.noWatermarks(),
                "events")
            .process(new DecodeFunction<>(Event.class));
    events
        .getSideOutput(DecodeFunction.DEAD_LETTERS)
        .sinkTo(
            connectors.sink(
                DeadLetter.class,
                dead,
                DeadLetter::getSourceTopic,
                DeliveryGuarantee.EXACTLY_ONCE));
    List<String> delivered = new ArrayList<>();
    try (CloseableIterator<String> it = events.map(Event::getEventId).collectAsync()) {
      env.execute("dead-letter-test");
      it.forEachRemaining(delivered::add);
    }

    assertThat(delivered).containsExactly("e-0", "e-2", "e-4", "e-6", "e-8");
    Map<Long, DeadLetter> letters = new TreeMap<>();
    KafkaTestSupport.readAtLeast(
            kafka.bootstrapServers(), dead, "read_committed", 4, Duration.ofSeconds(60))
        .forEach(
            r -> {
              DeadLetter letter = AvroCodec.of(DeadLetter.class).decode(r.value()).record();
              letters.put(letter.getSourceOffset(), letter);
            });
    assertThat(letters).containsOnlyKeys(1L, 3L, 5L, 7L);
    assertThat(letters.values())
        .allSatisfy(
            l -> {
              assertThat(l.getSourceTopic()).isEqualTo(in);
              assertThat(l.getSourcePartition()).isZero();
              assertThat(l.getStage()).isEqualTo("decode");
            });
    assertThat(letters.get(1L).getReason()).isEqualTo(ReasonCodes.UNDECODABLE);
    assertThat(letters.get(1L).getValue()).isEqualTo(ByteBuffer.wrap(garbage));
    assertThat(letters.get(1L).getKey()).isEqualTo(ByteBuffer.wrap(key("u-1")));
    assertThat(letters.get(3L).getReason()).isEqualTo(ReasonCodes.UNDECODABLE);
    assertThat(letters.get(3L).getMessage()).contains("truncated");
    assertThat(letters.get(5L).getReason()).isEqualTo(ReasonCodes.UNKNOWN_SCHEMA);
    assertThat(letters.get(7L).getReason()).isEqualTo(ReasonCodes.EMPTY);
    assertThat(letters.get(7L).getValue()).isNull();
  }

  static ProducerRecord<byte[], byte[]> good(String topic, String eventId) {
    return new ProducerRecord<>(
        topic, key("u-" + eventId), AvroCodec.of(Event.class).encode(Samples.event("u", eventId)));
  }

  static byte[] key(String k) {
    return k.getBytes(StandardCharsets.UTF_8);
  }
}
