package io.elapse.connectors;

import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink type information for a generated Avro record class, serialized as Avro binary by {@link
 * AvroRecordSerializer} (never Kryo). We do not use flink-avro: its POJO-based {@code AvroTypeInfo}
 * rejects our setter-less generated classes, and with it on the classpath Flink's type extraction
 * throws for any function returning one. Use with {@code .returns(ElapseKafka.typeInfo(X.class))}.
 *
 * @param <T> the generated record class
 */
public final class AvroRecordTypeInfo<T extends SpecificRecord> extends TypeInformation<T> {

  private static final long serialVersionUID = 1L;

  private final Class<T> type;

  /** Type information for {@code type}. */
  public AvroRecordTypeInfo(Class<T> type) {
    this.type = Objects.requireNonNull(type, "type");
  }

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<T> getTypeClass() {
    return type;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<T> createSerializer(SerializerConfig config) {
    return new AvroRecordSerializer<>(type);
  }

  @Override
  public String toString() {
    return "AvroRecordTypeInfo<" + type.getName() + ">";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AvroRecordTypeInfo<?> other && other.type.equals(type);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

  @Override
  public boolean canEqual(Object o) {
    return o instanceof AvroRecordTypeInfo;
  }
}
