package io.elapse.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * Renders Avro records as plain JSON for people and shell pipes: unions unwrapped, timestamps as
 * ISO-8601 strings, bytes as base64, non-finite numbers as strings.
 */
public final class AvroJson {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private AvroJson() {}

  /** The JSON tree of {@code record}. */
  public static JsonNode toJson(IndexedRecord record) {
    return convert(record, record.getSchema());
  }

  private static JsonNode convert(Object value, Schema schema) {
    if (value == null) {
      return JSON.nullNode();
    }
    return switch (schema.getType()) {
      case RECORD -> {
        IndexedRecord record = (IndexedRecord) value;
        ObjectNode out = JSON.objectNode();
        for (Schema.Field field : schema.getFields()) {
          out.set(field.name(), convert(record.get(field.pos()), field.schema()));
        }
        yield out;
      }
      case UNION ->
          convert(value, schema.getTypes().get(GenericData.get().resolveUnion(schema, value)));
      case ARRAY -> {
        ArrayNode out = JSON.arrayNode();
        for (Object item : (Collection<?>) value) {
          out.add(convert(item, schema.getElementType()));
        }
        yield out;
      }
      case MAP -> {
        ObjectNode out = JSON.objectNode();
        for (Map.Entry<?, ?> e :
            new java.util.TreeMap<>(stringKeys((Map<?, ?>) value)).entrySet()) {
          out.set(String.valueOf(e.getKey()), convert(e.getValue(), schema.getValueType()));
        }
        yield out;
      }
      case BYTES -> {
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        yield JSON.textNode(Base64.getEncoder().encodeToString(bytes));
      }
      case FIXED ->
          JSON.textNode(Base64.getEncoder().encodeToString(((GenericFixed) value).bytes()));
      case LONG, INT -> {
        if (value instanceof Instant instant) {
          yield JSON.textNode(instant.toString());
        }
        if (isTimestampMillis(schema) && value instanceof Long millis) {
          yield JSON.textNode(Instant.ofEpochMilli(millis).toString());
        }
        yield value instanceof Integer i
            ? JSON.numberNode(i)
            : JSON.numberNode(((Number) value).longValue());
      }
      case FLOAT, DOUBLE -> {
        double d = ((Number) value).doubleValue();
        yield Double.isFinite(d)
            ? (value instanceof Float f ? JSON.numberNode(f) : JSON.numberNode(d))
            : JSON.textNode(String.valueOf(d));
      }
      case BOOLEAN -> JSON.booleanNode((Boolean) value);
      case NULL -> JSON.nullNode();
      case STRING, ENUM -> JSON.textNode(value.toString());
    };
  }

  private static Map<String, Object> stringKeys(Map<?, ?> map) {
    Map<String, Object> out = new java.util.HashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  private static boolean isTimestampMillis(Schema schema) {
    return schema.getLogicalType() != null
        && "timestamp-millis".equals(schema.getLogicalType().getName());
  }
}
