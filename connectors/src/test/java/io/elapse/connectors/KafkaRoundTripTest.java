package io.elapse.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.ElapseSchemas;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every record type through a real broker, with today's and the previous schema version. */
class KafkaRoundTripTest {

  static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  static java.util.stream.Stream<String> contracts() {
    return AvroCodecTest.v1Contracts();
  }

  @ParameterizedTest
  @MethodSource("contracts")
  void eachRecordTypeRoundTripsThroughKafka(String name) {
    String topic = KafkaTestSupport.uniqueTopic("roundtrip-" + name);
    KafkaTestSupport.createTopic(kafka.bootstrapServers(), topic, 1);
    AvroCodec<SpecificRecord> codec = AvroCodecTest.codec(name);
    SpecificRecord sample = Samples.of(name);
    byte[] v1 = Samples.fixture(name);

    KafkaTestSupport.produce(
        kafka.bootstrapServers(),
        List.of(
            new ProducerRecord<>(topic, key("today"), codec.encode(sample)),
            new ProducerRecord<>(topic, key("v1"), v1)));
    List<ConsumerRecord<byte[], byte[]>> read =
        KafkaTestSupport.readAtLeast(
            kafka.bootstrapServers(), topic, "read_committed", 2, Duration.ofSeconds(30));

    List<RawRecord> raw = new ArrayList<>();
    read.forEach(r -> new RawRecordDeserializer().deserialize(r, new ListCollector<>(raw)));
    assertThat(raw).hasSize(2);
    assertThat(raw.get(0).topic).isEqualTo(topic);
    assertThat(raw.get(0).offset).isEqualTo(0L);
    assertThat(raw.get(1).offset).isEqualTo(1L);
    assertThat(raw.get(0).timestamp).isPositive();
    assertThat(new String(raw.get(0).key, StandardCharsets.UTF_8)).isEqualTo("today");

    assertThat(codec.decode(raw.get(0).value).record()).isEqualTo(sample);
    DecodeResult<SpecificRecord> old = codec.decode(raw.get(1).value);
    assertThat(old.isSuccess()).as("%s", old).isTrue();
    assertThat(old.record().getClass()).isEqualTo(ElapseSchemas.byName(name).type());
    assertThat(AvroCodec.decodeAny(raw.get(1).value).record()).isEqualTo(old.record());
  }

  @Test
  void aTombstoneBecomesARawRecordWithNullValue() {
    String topic = KafkaTestSupport.uniqueTopic("tombstone");
    KafkaTestSupport.createTopic(kafka.bootstrapServers(), topic, 1);
    KafkaTestSupport.produce(
        kafka.bootstrapServers(), List.of(new ProducerRecord<>(topic, key("k"), null)));

    List<RawRecord> raw = new ArrayList<>();
    KafkaTestSupport.readAtLeast(
            kafka.bootstrapServers(), topic, "read_committed", 1, Duration.ofSeconds(30))
        .forEach(r -> new RawRecordDeserializer().deserialize(r, new ListCollector<>(raw)));

    assertThat(raw).singleElement().satisfies(r -> assertThat(r.value).isNull());
    assertThat(AvroCodec.decodeAny(raw.get(0).value).reason()).isEqualTo(ReasonCodes.EMPTY);
  }

  static byte[] key(String k) {
    return k.getBytes(StandardCharsets.UTF_8);
  }

  /** A Flink collector into a list. */
  record ListCollector<T>(List<T> list) implements org.apache.flink.util.Collector<T> {
    @Override
    public void collect(T record) {
      list.add(record);
    }

    @Override
    public void close() {}
  }
}
