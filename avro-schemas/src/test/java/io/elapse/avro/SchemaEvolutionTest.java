package io.elapse.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Today's schemas against the previous version kept under {@code schemas/v1}. */
class SchemaEvolutionTest {

  static final String PREVIOUS = "v1";

  /** The previous version's schemas, parsed together so named types resolve. */
  static Map<String, Schema> previousSchemas() throws IOException {
    Schema.Parser parser = new Schema.Parser();
    Map<String, Schema> out = new TreeMap<>();
    for (String file : List.of("ModelVersion", "CellVariant")) {
      parser.parse(resource("schemas/" + PREVIOUS + "/" + file + ".avsc"));
    }
    for (ElapseSchemas.Contract c : ElapseSchemas.ALL) {
      if (ElapseSchemas.existedIn(PREVIOUS, c.name())) {
        out.put(c.name(), parser.parse(resource("schemas/" + PREVIOUS + "/" + c.name() + ".avsc")));
      }
    }
    return out;
  }

  static InputStream resource(String path) {
    InputStream in = SchemaEvolutionTest.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new IllegalStateException("missing test resource " + path);
    }
    return in;
  }

  /** The contracts that existed in the previous version (new ones have nothing to match). */
  static java.util.stream.Stream<String> contracts() {
    return ElapseSchemas.ALL.stream()
        .map(ElapseSchemas.Contract::name)
        .filter(name -> ElapseSchemas.existedIn(PREVIOUS, name));
  }

  @Test
  void exactlyTheContractsOfThePreviousVersionHaveItsSchemaAndFixture() {
    for (ElapseSchemas.Contract c : ElapseSchemas.ALL) {
      boolean kept =
          SchemaEvolutionTest.class
                  .getClassLoader()
                  .getResource("schemas/" + PREVIOUS + "/" + c.name() + ".avsc")
              != null;
      boolean fixture =
          SchemaEvolutionTest.class
                  .getClassLoader()
                  .getResource("fixtures/" + PREVIOUS + "/" + c.name() + ".bin")
              != null;
      boolean existed = ElapseSchemas.existedIn(PREVIOUS, c.name());
      assertThat(kept).as("schemas/%s/%s.avsc kept", PREVIOUS, c.name()).isEqualTo(existed);
      assertThat(fixture).as("fixtures/%s/%s.bin kept", PREVIOUS, c.name()).isEqualTo(existed);
    }
    assertThat(ElapseSchemas.existedIn(PREVIOUS, "Evaluation")).isFalse();
    assertThat(ElapseSchemas.existedIn("v2", "Evaluation")).isTrue();
  }

  @ParameterizedTest
  @MethodSource("contracts")
  void currentSchemaIsFullyCompatibleWithPreviousVersion(String name) throws IOException {
    Schema previous = previousSchemas().get(name);
    Schema current = ElapseSchemas.byName(name).schema();
    assertThat(SchemaEvolutionPolicy.violations(previous, current)).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("contracts")
  void recordsWrittenWithPreviousVersionAreReadToday(String name) throws IOException {
    Schema previous = previousSchemas().get(name);
    byte[] bytes;
    try (InputStream in = resource("fixtures/" + PREVIOUS + "/" + name + ".bin")) {
      bytes = in.readAllBytes();
    }
    GenericRecord asWritten =
        new BinaryMessageDecoder<GenericRecord>(GenericData.get(), previous)
            .decode(ByteBuffer.wrap(bytes));

    Schema current = ElapseSchemas.byName(name).schema();
    BinaryMessageDecoder<SpecificRecord> today =
        new BinaryMessageDecoder<>(SpecificData.get(), current);
    today.addSchema(previous);
    SpecificRecord readToday = today.decode(ByteBuffer.wrap(bytes));

    for (Schema.Field field : previous.getFields()) {
      Schema.Field now = current.getField(field.name());
      if (now != null) {
        assertThat(String.valueOf(readToday.get(now.pos())))
            .as("%s.%s", name, field.name())
            .isEqualTo(String.valueOf(asWrittenValue(asWritten, field)));
      }
    }
  }

  private static Object asWrittenValue(GenericRecord record, Schema.Field field) {
    Object value = record.get(field.pos());
    // Generic records keep timestamp-millis as long; specific ones as Instant.
    if (value instanceof Long millis && "timestamp-millis".equals(logicalName(field.schema()))) {
      return java.time.Instant.ofEpochMilli(millis);
    }
    return value;
  }

  private static String logicalName(Schema schema) {
    return schema.getLogicalType() == null ? null : schema.getLogicalType().getName();
  }

  @Test
  void removingAFieldWithoutDefaultViolatesThePolicy() {
    Schema current = Event.getClassSchema();
    Schema withoutEventType = copyWithout(current, "eventType");

    assertThat(SchemaEvolutionPolicy.violations(current, withoutEventType))
        .singleElement()
        .asString()
        .contains("previous reader cannot read")
        .contains("eventType");
  }

  @Test
  void removingAFieldThatHadADefaultIsAllowed() {
    Schema current = Event.getClassSchema();
    assertThat(SchemaEvolutionPolicy.violations(current, copyWithout(current, "features")))
        .isEmpty();
  }

  @Test
  void addingAFieldWithoutDefaultViolatesThePolicy() {
    Schema current = Label.getClassSchema();
    Schema extended =
        copyWith(current, new Schema.Field("source", Schema.create(Schema.Type.STRING), "doc"));
    assertThat(SchemaEvolutionPolicy.violations(current, extended))
        .singleElement()
        .asString()
        .contains("current reader cannot read")
        .contains("source");
  }

  @Test
  void addingAFieldWithDefaultIsAllowed() {
    Schema current = Label.getClassSchema();
    Schema extended =
        copyWith(
            current, new Schema.Field("source", Schema.create(Schema.Type.STRING), "doc", "batch"));
    assertThat(SchemaEvolutionPolicy.violations(current, extended)).isEmpty();
  }

  private static Schema copyWithout(Schema schema, String fieldName) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      if (!f.name().equals(fieldName)) {
        fields.add(new Schema.Field(f, f.schema()));
      }
    }
    return Schema.createRecord(
        schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }

  private static Schema copyWith(Schema schema, Schema.Field extra) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      fields.add(new Schema.Field(f, f.schema()));
    }
    fields.add(extra);
    return Schema.createRecord(
        schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }
}
