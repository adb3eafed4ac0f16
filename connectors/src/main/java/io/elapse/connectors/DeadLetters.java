package io.elapse.connectors;

import io.elapse.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds {@link DeadLetter} records that carry their origin, raw bytes and reason. */
public final class DeadLetters {

  /** Stage name of the decode operator. */
  public static final String STAGE_DECODE = "decode";

  /**
   * The most raw value bytes a dead letter copies. Together with the other caps it keeps every dead
   * letter far below Kafka's default 1 MB record limit, whatever the rejected record's size: an
   * oversized dead letter would fail the exactly-once sink and so the whole job. The full record
   * stays at its origin (topic, partition, offset).
   */
  public static final int MAX_VALUE_BYTES = 256 * 1024;

  /** The most raw key bytes a dead letter copies. */
  public static final int MAX_KEY_BYTES = 16 * 1024;

  /** The most characters of the message and of the entity id a dead letter keeps. */
  public static final int MAX_TEXT_CHARS = 8 * 1024;

  private DeadLetters() {}

  /**
   * A dead letter for {@code origin} (null when the rejected thing was not a Kafka record: topic
   * "", partition and offset -1) failed now.
   */
  public static DeadLetter of(
      RawRecord origin, String reason, String message, String stage, String entityIdOrNull) {
    return of(origin, reason, message, stage, entityIdOrNull, Instant.now());
  }

  /** As {@link #of(RawRecord, String, String, String, String)} with an explicit failure time. */
  public static DeadLetter of(
      RawRecord origin,
      String reason,
      String message,
      String stage,
      String entityIdOrNull,
      Instant failedAt) {
    requireText(message, "message");
    byte[] key = origin == null ? null : origin.key;
    byte[] value = origin == null ? null : origin.value;
    StringBuilder text = new StringBuilder(truncate(message, MAX_TEXT_CHARS));
    if (value != null && value.length > MAX_VALUE_BYTES) {
      text.append(" [value cut to its first ")
          .append(MAX_VALUE_BYTES)
          .append(" of ")
          .append(value.length)
          .append(" bytes; the whole record stays at its origin]");
    }
    if (key != null && key.length > MAX_KEY_BYTES) {
      text.append(" [key cut to its first ")
          .append(MAX_KEY_BYTES)
          .append(" of ")
          .append(key.length)
          .append(" bytes]");
    }
    return DeadLetter.newBuilder()
        .setSourceTopic(origin == null || origin.topic == null ? "" : origin.topic)
        .setSourcePartition(origin == null ? -1 : origin.partition)
        .setSourceOffset(origin == null ? -1L : origin.offset)
        .setKey(key == null ? null : ByteBuffer.wrap(prefix(key, MAX_KEY_BYTES)))
        .setValue(value == null ? null : ByteBuffer.wrap(prefix(value, MAX_VALUE_BYTES)))
        .setReason(requireText(reason, "reason"))
        .setMessage(text.toString())
        .setStage(requireText(stage, "stage"))
        .setEntityId(entityIdOrNull == null ? null : truncate(entityIdOrNull, MAX_TEXT_CHARS))
        .setFailedAt(failedAt)
        .build();
  }

  /** The first {@code max} bytes of {@code bytes} (a copy). */
  private static byte[] prefix(byte[] bytes, int max) {
    return java.util.Arrays.copyOf(bytes, Math.min(bytes.length, max));
  }

  /** {@code text} cut to {@code max} characters, saying how long it was. */
  private static String truncate(String text, int max) {
    return text.length() <= max
        ? text
        : text.substring(0, max) + "... [cut: " + text.length() + " characters in all]";
  }

  /** The dead letter of a failed decode of {@code origin} in the decode stage. */
  public static DeadLetter ofDecodeFailure(RawRecord origin, DecodeResult<?> failure) {
    if (failure.isSuccess()) {
      throw new IllegalArgumentException(
          "expected a failed decode of " + origin.origin() + ", got a decoded record");
    }
    return of(origin, failure.reason(), failure.message(), STAGE_DECODE, null);
  }

  private static String requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "dead letter " + name + ": expected non-blank text, got " + value);
    }
    return value;
  }
}
