package io.elapse.pipeline.learner;

import io.elapse.avro.DeadLetter;
import io.elapse.connectors.DeadLetters;
import io.elapse.connectors.RawRecord;
import io.elapse.pipeline.records.EntityInput;
import java.nio.charset.StandardCharsets;

/**
 * Dead letters for inputs rejected after decoding: their Kafka origin (the raw value is no longer
 * at hand; the entity id is the key), built by {@link DeadLetters} like every other stage's.
 */
public final class DeadLetterFactory {

  private DeadLetterFactory() {}

  /** A dead letter for {@code origin} with a reason code, a message and the rejecting stage. */
  public static DeadLetter of(EntityInput origin, String reason, String message, String stage) {
    RawRecord raw =
        new RawRecord(
            origin.sourceTopic == null ? "unknown" : origin.sourceTopic,
            origin.sourcePartition,
            origin.sourceOffset,
            -1,
            origin.entityId == null ? null : origin.entityId.getBytes(StandardCharsets.UTF_8),
            null);
    return DeadLetters.of(raw, reason, origin + ": " + message, stage, origin.entityId);
  }
}
