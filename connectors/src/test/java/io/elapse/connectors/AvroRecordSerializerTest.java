package io.elapse.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.Event;
import java.io.ByteArrayOutputStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroRecordSerializerTest {

  static java.util.stream.Stream<String> contracts() {
    return AvroCodecTest.contracts();
  }

  @ParameterizedTest
  @MethodSource("contracts")
  void everyRecordTypeRoundTripsAndCopiesDeeply(String name) throws Exception {
    SpecificRecord sample = Samples.of(name);
    @SuppressWarnings({"unchecked", "rawtypes"})
    TypeSerializer<SpecificRecord> serializer =
        new AvroRecordTypeInfo(sample.getClass()).createSerializer(new SerializerConfigImpl());

    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(sample, out);
    serializer.serialize(sample, out);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());

    assertThat(serializer.deserialize(in)).isEqualTo(sample);
    assertThat(serializer.deserialize(in)).isEqualTo(sample);
    assertThat(in.available()).isZero();
    SpecificRecord copy = serializer.copy(sample);
    assertThat(copy).isEqualTo(sample).isNotSameAs(sample);
  }

  @Test
  void theSnapshotRestoresAndTheSameSchemaIsCompatibleAsIs() throws Exception {
    AvroRecordSerializer<Event> serializer = new AvroRecordSerializer<>(Event.class);
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
    TypeSerializerSnapshot<Event> restored =
        TypeSerializerSnapshot.readVersionedSnapshot(
            new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

    assertThat(restored.restoreSerializer()).isEqualTo(serializer);
    assertThat(
            serializer
                .snapshotConfiguration()
                .resolveSchemaCompatibility(restored)
                .isCompatibleAsIs())
        .isTrue();
  }

  @Test
  void stateWrittenWithAnOlderCompatibleSchemaIsMigrated() throws Exception {
    Schema older =
        SchemaBuilder.record("Event")
            .namespace("io.elapse.avro")
            .fields()
            .requiredString("entityId")
            .requiredString("eventId")
            .requiredString("eventType")
            .requiredLong("eventTime")
            .endRecord();
    AvroRecordSerializer.Snapshot<Event> oldSnapshot =
        new AvroRecordSerializer.Snapshot<>(Event.class, older.toString());

    TypeSerializerSchemaCompatibility<Event> compatibility =
        new AvroRecordSerializer<>(Event.class)
            .snapshotConfiguration()
            .resolveSchemaCompatibility(oldSnapshot);
    assertThat(compatibility.isCompatibleAfterMigration()).isTrue();

    GenericRecord written = new GenericData.Record(older);
    written.put("entityId", "u-1");
    written.put("eventId", "e-1");
    written.put("eventType", "click");
    written.put("eventTime", Samples.T0.toEpochMilli());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
    new GenericDatumWriter<GenericRecord>(older).write(written, encoder);
    encoder.flush();
    Event read =
        oldSnapshot.restoreSerializer().deserialize(new DataInputDeserializer(bytes.toByteArray()));
    assertThat(read.getEntityId()).isEqualTo("u-1");
    assertThat(read.getEventTime()).isEqualTo(Samples.T0);
    assertThat(read.getFeatures()).isNull();
  }

  @Test
  void anIncompatibleOlderSchemaIsIncompatible() {
    Schema older =
        SchemaBuilder.record("Event")
            .namespace("io.elapse.avro")
            .fields()
            .requiredString("entityId")
            .requiredString("eventId")
            .requiredBoolean("eventType")
            .requiredLong("eventTime")
            .endRecord();

    assertThat(
            new AvroRecordSerializer<>(Event.class)
                .snapshotConfiguration()
                .resolveSchemaCompatibility(
                    new AvroRecordSerializer.Snapshot<>(Event.class, older.toString()))
                .isIncompatible())
        .isTrue();
  }
}
