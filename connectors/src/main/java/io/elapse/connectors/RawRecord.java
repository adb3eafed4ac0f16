package io.elapse.connectors;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Kafka record as read, before decoding: where it came from and its raw bytes. A Flink POJO
 * (public no-arg constructor and public fields), so it is serialized without Kryo.
 */
public class RawRecord {

  /** Topic the record was read from. */
  public String topic;

  /** Partition the record was read from. */
  public int partition;

  /** Offset of the record in its partition. */
  public long offset;

  /** The Kafka record timestamp (UTC milliseconds), or -1 when the record has none. */
  public long timestamp;

  /** The raw key bytes; null when the record has no key. */
  public byte[] key;

  /** The raw value bytes; null for a tombstone. */
  public byte[] value;

  /** For Flink's POJO serializer. */
  public RawRecord() {}

  /** A record with every field given; the arrays are kept, not copied. */
  public RawRecord(
      String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.key = key;
    this.value = value;
  }

  /** Where this record came from, as {@code topic/partition@offset}. */
  public String origin() {
    return topic + "/" + partition + "@" + offset;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RawRecord r)) {
      return false;
    }
    return partition == r.partition
        && offset == r.offset
        && timestamp == r.timestamp
        && Objects.equals(topic, r.topic)
        && Arrays.equals(key, r.key)
        && Arrays.equals(value, r.value);
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(topic, partition, offset, timestamp);
    h = 31 * h + Arrays.hashCode(key);
    return 31 * h + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "RawRecord{"
        + origin()
        + ", timestamp="
        + timestamp
        + ", key="
        + (key == null ? "null" : key.length + " bytes")
        + ", value="
        + (value == null ? "null" : value.length + " bytes")
        + "}";
  }
}
