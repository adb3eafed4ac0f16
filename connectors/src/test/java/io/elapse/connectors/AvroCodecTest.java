package io.elapse.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.ElapseSchemas;
import io.elapse.avro.Event;
import io.elapse.avro.Label;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroCodecTest {

  static Stream<String> contracts() {
    return ElapseSchemas.ALL.stream().map(ElapseSchemas.Contract::name);
  }

  /** The contracts that existed in schema version v1 (they have a v1 fixture). */
  static Stream<String> v1Contracts() {
    return contracts().filter(name -> ElapseSchemas.existedIn("v1", name));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static AvroCodec<SpecificRecord> codec(String name) {
    return (AvroCodec) AvroCodec.of(ElapseSchemas.byName(name).type());
  }

  @ParameterizedTest
  @MethodSource("contracts")
  void everyRecordTypeRoundTrips(String name) {
    SpecificRecord sample = Samples.of(name);
    byte[] bytes = codec(name).encode(sample);

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    DecodeResult<SpecificRecord> decoded = codec(name).decode(bytes);
    assertThat(decoded.isSuccess()).as("%s", decoded).isTrue();
    assertThat(decoded.record()).isEqualTo(sample);
    assertThat(AvroCodec.decodeAny(bytes).record()).isEqualTo(sample);
  }

  @ParameterizedTest
  @MethodSource("contracts")
  void theEncodingIsAvrosSingleObjectEncodingByteForByte(String name) throws Exception {
    SpecificRecord sample = Samples.of(name);
    byte[] avros =
        new BinaryMessageEncoder<SpecificRecord>(
                org.apache.avro.specific.SpecificData.getForClass(sample.getClass()),
                sample.getSchema())
            .encode(sample)
            .array();

    assertThat(codec(name).encode(sample)).isEqualTo(avros);
  }

  @Test
  void aRecordThatFailsToEncodeLeavesNothingBehindForTheNext() {
    AvroCodec<Event> codec = AvroCodec.of(Event.class);
    Event good = Samples.event("user-7", "e-1");
    Event bad = Event.newBuilder(good).build();
    bad.put("eventType", null); // a required string

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> codec.encode(bad))
        .isInstanceOf(RuntimeException.class);
    assertThat(codec.decode(codec.encode(good)).record()).isEqualTo(good);
  }

  @ParameterizedTest
  @MethodSource("v1Contracts")
  void recordsWrittenWithThePreviousSchemaVersionAreReadToday(String name) {
    DecodeResult<SpecificRecord> decoded = codec(name).decode(Samples.fixture(name));

    assertThat(decoded.isSuccess()).as("%s", decoded).isTrue();
    assertThat(decoded.record().getClass()).isEqualTo(ElapseSchemas.byName(name).type());
    // Re-encoding with today's schema and decoding again gives the same record.
    assertThat(codec(name).decode(codec(name).encode(decoded.record())).record())
        .isEqualTo(decoded.record());
  }

  @Test
  void anOlderWriterSchemaWithoutTheOptionalFieldsIsResolvedWithDefaults() {
    Schema older =
        SchemaBuilder.record("Event")
            .namespace("io.elapse.avro")
            .fields()
            .requiredString("entityId")
            .requiredString("eventId")
            .requiredString("eventType")
            .requiredLong("eventTime")
            .endRecord();
    GenericRecord written = new GenericData.Record(older);
    written.put("entityId", "user-1");
    written.put("eventId", "e-1");
    written.put("eventType", "click");
    written.put("eventTime", Samples.T0.toEpochMilli());
    byte[] bytes = encodeGeneric(older, written);

    assertThat(AvroCodec.of(Event.class).decode(bytes).reason())
        .isEqualTo(ReasonCodes.UNKNOWN_SCHEMA);
    Event read = AvroCodec.withWriterSchemas(Event.class, List.of(older)).decode(bytes).record();
    assertThat(read.getEntityId()).isEqualTo("user-1");
    assertThat(read.getEventTime()).isEqualTo(Samples.T0);
    assertThat(read.getFeatures()).isNull();
    assertThat(read.getElapsedMillis()).isNull();
  }

  @Test
  void nullAndEmptyValuesAreEmpty() {
    assertThat(AvroCodec.of(Event.class).decode(null).reason()).isEqualTo(ReasonCodes.EMPTY);
    assertThat(AvroCodec.of(Event.class).decode(new byte[0]).reason()).isEqualTo(ReasonCodes.EMPTY);
  }

  @Test
  void bytesWithoutTheMarkerAreUndecodable() {
    byte[] json = "{\"entityId\":\"u\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    DecodeResult<Event> result = AvroCodec.of(Event.class).decode(json);

    assertThat(result.reason()).isEqualTo(ReasonCodes.UNDECODABLE);
    assertThat(result.message()).contains("expected C3 01").contains("7B 22");
  }

  @Test
  void truncatedRecordsAreUndecodable() {
    byte[] full = AvroCodec.of(Event.class).encode(Samples.event("user-7", "e-1"));
    for (int length = 1; length < full.length; length++) {
      DecodeResult<Event> result = AvroCodec.of(Event.class).decode(Arrays.copyOf(full, length));
      assertThat(result.isSuccess()).as("prefix of %d of %d bytes", length, full.length).isFalse();
      assertThat(result.reason())
          .as("prefix of %d bytes", length)
          .isEqualTo(ReasonCodes.UNDECODABLE);
    }
    assertThat(AvroCodec.of(Event.class).decode(Arrays.copyOf(full, 5)).message())
        .contains("expected at least 10 bytes, got 5");
  }

  @Test
  void trailingBytesAreUndecodable() {
    byte[] full = AvroCodec.of(Label.class).encode(Samples.label());
    byte[] longer = Arrays.copyOf(full, full.length + 3);

    DecodeResult<Label> result = AvroCodec.of(Label.class).decode(longer);
    assertThat(result.reason()).isEqualTo(ReasonCodes.UNDECODABLE);
    assertThat(result.message()).contains("trailing");
  }

  @Test
  void anUnknownFingerprintIsUnknownSchema() {
    byte[] bytes = AvroCodec.of(Event.class).encode(Samples.event("user-7", "e-1"));
    bytes[5] ^= 0x5A;

    DecodeResult<Event> result = AvroCodec.of(Event.class).decode(bytes);
    assertThat(result.reason()).isEqualTo(ReasonCodes.UNKNOWN_SCHEMA);
    assertThat(result.message()).contains("no Event schema has fingerprint");
    assertThat(AvroCodec.decodeAny(bytes).reason()).isEqualTo(ReasonCodes.UNKNOWN_SCHEMA);
  }

  @Test
  void aRecordOfAnotherElapseTypeIsWrongType() {
    byte[] label = AvroCodec.of(Label.class).encode(Samples.label());

    DecodeResult<Event> result = AvroCodec.of(Event.class).decode(label);
    assertThat(result.reason()).isEqualTo(ReasonCodes.WRONG_TYPE);
    assertThat(result.message()).isEqualTo("expected Event, got a Label record");
    assertThat(AvroCodec.decodeAny(label).record()).isInstanceOf(Label.class);
  }

  @ParameterizedTest
  @MethodSource("contracts")
  void corruptedBodiesNeverThrow(String name) {
    byte[] valid = codec(name).encode(Samples.of(name));
    Random random = new Random(42);
    List<String> reasons = new ArrayList<>();
    for (int trial = 0; trial < 2_000; trial++) {
      byte[] corrupted = valid.clone();
      int flips = 1 + random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        int at = AvroCodec.HEADER_LENGTH + random.nextInt(valid.length - AvroCodec.HEADER_LENGTH);
        corrupted[at] = (byte) random.nextInt(256);
      }
      DecodeResult<SpecificRecord> result = codec(name).decode(corrupted);
      if (!result.isSuccess()) {
        reasons.add(result.reason());
      }
    }
    assertThat(reasons).isNotEmpty().containsOnly(ReasonCodes.UNDECODABLE);
  }

  @Test
  void aHugeClaimedStringLengthIsRefusedBeforeAllocating() {
    byte[] header = Arrays.copyOf(AvroCodec.of(Event.class).encode(Samples.event("u", "e")), 10);
    byte[] bytes = concat(header, zigzagVarint(1_000_000_000L), new byte[] {1, 2, 3});

    DecodeResult<Event> result = AvroCodec.of(Event.class).decode(bytes);

    assertThat(result.reason()).isEqualTo(ReasonCodes.UNDECODABLE);
    assertThat(result.message()).contains("string of 1000000000 bytes, but only 3 bytes are left");
  }

  @Test
  void aHugeClaimedArrayCountIsRefusedBeforeAllocating() {
    byte[] header = Arrays.copyOf(AvroCodec.of(Event.class).encode(Samples.event("u", "e")), 10);
    // entityId "u", eventId "e", eventType "t", eventTime 0, features: union branch 1 (array)
    byte[] prefix = {2, 'u', 2, 'e', 2, 't', 0, 2};
    byte[] bytes = concat(header, prefix, zigzagVarint(1_500_000_000L));

    DecodeResult<Event> result = AvroCodec.of(Event.class).decode(bytes);

    assertThat(result.reason()).isEqualTo(ReasonCodes.UNDECODABLE);
    assertThat(result.message()).contains("array block of 1500000000 items");
  }

  private static byte[] zigzagVarint(long value) {
    long v = (value << 1) ^ (value >> 63);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void fingerprintOfReadsTheHeader() {
    byte[] bytes = AvroCodec.of(Event.class).encode(Samples.event("u", "e"));

    assertThat(AvroCodec.fingerprintOf(bytes)).hasValue(AvroCodec.of(Event.class).fingerprint());
    assertThat(AvroCodec.fingerprintOf(new byte[] {1, 2, 3})).isEmpty();
  }

  private static byte[] encodeGeneric(Schema schema, GenericRecord record) {
    try {
      var buffer =
          new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
      byte[] out = new byte[buffer.remaining()];
      buffer.get(out);
      return out;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
