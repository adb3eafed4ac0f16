package io.elapse.connectors;

import io.elapse.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds {@link DeadLetter} records that carry their origin, raw bytes and reason. */
public final class DeadLetters {

  /** Stage name of the decode operator. */
  public static final String STAGE_DECODE = "decode";

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
    return DeadLetter.newBuilder()
        .setSourceTopic(origin == null || origin.topic == null ? "" : origin.topic)
        .setSourcePartition(origin == null ? -1 : origin.partition)
        .setSourceOffset(origin == null ? -1L : origin.offset)
        .setKey(origin == null || origin.key == null ? null : ByteBuffer.wrap(origin.key.clone()))
        .setValue(
            origin == null || origin.value == null ? null : ByteBuffer.wrap(origin.value.clone()))
        .setReason(requireText(reason, "reason"))
        .setMessage(requireText(message, "message"))
        .setStage(requireText(stage, "stage"))
        .setEntityId(entityIdOrNull)
        .setFailedAt(failedAt)
        .build();
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
