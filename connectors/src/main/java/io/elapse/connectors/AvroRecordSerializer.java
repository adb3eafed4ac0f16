package io.elapse.connectors;

import java.io.IOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.DataInputViewStream;
import org.apache.flink.api.java.typeutils.runtime.DataOutputViewStream;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of a generated Avro record class: plain Avro binary with the class's schema. Its
 * snapshot keeps the schema, so state written with an older schema version is migrated when today's
 * schema can read it (Avro schema resolution).
 *
 * @param <T> the generated record class
 */
public final class AvroRecordSerializer<T extends SpecificRecord> extends TypeSerializer<T> {

  private static final long serialVersionUID = 1L;

  private final Class<T> type;

  /** The schema of serialized bytes; today's schema unless restored from an older snapshot. */
  private final String writerSchemaJson;

  private transient Schema schema;
  private transient SpecificDatumWriter<T> writer;
  private transient SpecificDatumReader<T> reader;
  private transient BinaryEncoder encoder;
  private transient BinaryDecoder decoder;

  /** A serializer writing and reading today's schema of {@code type}. */
  public AvroRecordSerializer(Class<T> type) {
    this(type, null);
  }

  private AvroRecordSerializer(Class<T> type, String writerSchemaJson) {
    this.type = Objects.requireNonNull(type, "type");
    this.writerSchemaJson = writerSchemaJson;
  }

  private void init() {
    if (schema == null) {
      SpecificData model = SpecificData.getForClass(type);
      schema = model.getSchema(type);
      Schema writerSchema =
          writerSchemaJson == null ? schema : new Schema.Parser().parse(writerSchemaJson);
      writer = new SpecificDatumWriter<>(schema, model);
      reader = new SpecificDatumReader<>(writerSchema, schema, model);
    }
  }

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public TypeSerializer<T> duplicate() {
    return new AvroRecordSerializer<>(type, writerSchemaJson);
  }

  @Override
  public T createInstance() {
    init();
    @SuppressWarnings("unchecked")
    T instance = (T) SpecificData.getForClass(type).newRecord(null, schema);
    return instance;
  }

  @Override
  public T copy(T from) {
    if (from == null) {
      return null;
    }
    init();
    return SpecificData.getForClass(type).deepCopy(schema, from);
  }

  @Override
  public T copy(T from, T reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(T record, DataOutputView target) throws IOException {
    init();
    encoder = EncoderFactory.get().directBinaryEncoder(new DataOutputViewStream(target), encoder);
    writer.write(record, encoder);
    encoder.flush();
  }

  @Override
  public T deserialize(DataInputView source) throws IOException {
    init();
    decoder = DecoderFactory.get().directBinaryDecoder(new DataInputViewStream(source), decoder);
    return reader.read(null, decoder);
  }

  @Override
  public T deserialize(T reuse, DataInputView source) throws IOException {
    return deserialize(source);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    serialize(deserialize(source), target);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AvroRecordSerializer<?> other
        && other.type.equals(type)
        && Objects.equals(other.writerSchemaJson, writerSchemaJson);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

  @Override
  public TypeSerializerSnapshot<T> snapshotConfiguration() {
    init();
    return new Snapshot<>(type, schema.toString());
  }

  /** Snapshot of the record class and the schema its bytes were written with. */
  public static final class Snapshot<T extends SpecificRecord>
      implements TypeSerializerSnapshot<T> {
    private Class<T> type;
    private String schemaJson;

    /** For Flink's reflective instantiation. */
    public Snapshot() {}

    Snapshot(Class<T> type, String schemaJson) {
      this.type = type;
      this.schemaJson = schemaJson;
    }

    @Override
    public int getCurrentVersion() {
      return 1;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
      out.writeUTF(type.getName());
      byte[] json = schemaJson.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      out.writeInt(json.length);
      out.write(json);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void readSnapshot(int version, DataInputView in, ClassLoader classLoader)
        throws IOException {
      if (version != 1) {
        throw new IOException("AvroRecordSerializer snapshot: expected version 1, got " + version);
      }
      String className = in.readUTF();
      try {
        type = (Class<T>) Class.forName(className, false, classLoader);
      } catch (ClassNotFoundException e) {
        throw new IOException(
            "AvroRecordSerializer snapshot: class " + className + " not found", e);
      }
      byte[] json = new byte[in.readInt()];
      in.readFully(json);
      schemaJson = new String(json, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
      String today = SpecificData.getForClass(type).getSchema(type).toString();
      return new AvroRecordSerializer<>(type, today.equals(schemaJson) ? null : schemaJson);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
        TypeSerializerSnapshot<T> oldSnapshot) {
      if (!(oldSnapshot instanceof Snapshot<T> old) || !old.type.getName().equals(type.getName())) {
        return TypeSerializerSchemaCompatibility.incompatible();
      }
      if (old.schemaJson.equals(schemaJson)) {
        return TypeSerializerSchemaCompatibility.compatibleAsIs();
      }
      Schema oldSchema = new Schema.Parser().parse(old.schemaJson);
      Schema newSchema = new Schema.Parser().parse(schemaJson);
      return SchemaCompatibility.checkReaderWriterCompatibility(newSchema, oldSchema).getType()
              == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE
          ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
          : TypeSerializerSchemaCompatibility.incompatible();
    }
  }
}
