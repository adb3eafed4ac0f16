package io.elapse.pipeline.learner;

import io.elapse.avro.DeadLetter;
import io.elapse.pipeline.records.EntityInput;
import java.time.Instant;

/** Builds dead letters for inputs rejected after decoding, keeping their Kafka origin. */
public final class DeadLetterFactory {

  private DeadLetterFactory() {}

  /** A dead letter for {@code origin} with a reason code, a message and the rejecting stage. */
  public static DeadLetter of(EntityInput origin, String reason, String message, String stage) {
    return DeadLetter.newBuilder()
        .setSourceTopic(origin.sourceTopic == null ? "unknown" : origin.sourceTopic)
        .setSourcePartition(origin.sourcePartition)
        .setSourceOffset(origin.sourceOffset)
        .setKey(
            origin.entityId == null
                ? null
                : java.nio.ByteBuffer.wrap(
                    origin.entityId.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .setValue(null)
        .setReason(reason)
        .setMessage(origin + ": " + message)
        .setStage(stage)
        .setEntityId(origin.entityId)
        .setFailedAt(Instant.now())
        .build();
  }
}
