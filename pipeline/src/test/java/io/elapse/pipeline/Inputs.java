package io.elapse.pipeline;

import io.elapse.pipeline.records.EntityInput;
import java.util.Arrays;

/** Builders of decoded inputs for operator tests. */
public final class Inputs {

  private Inputs() {}

  /** An event of {@code entity} with id {@code id} at {@code time}. */
  public static EntityInput event(String entity, String id, long time, String type) {
    EntityInput in = new EntityInput();
    in.kind = EntityInput.EVENT;
    in.entityId = entity;
    in.eventId = id;
    in.time = time;
    in.eventType = type;
    in.sourceTopic = "events";
    in.sourcePartition = 0;
    in.sourceOffset = time;
    return in;
  }

  /** A label for {@code id} at {@code time} with {@code targets} (NaN = missing). */
  public static EntityInput label(String entity, String id, long time, float... targets) {
    EntityInput in = new EntityInput();
    in.kind = EntityInput.LABEL;
    in.entityId = entity;
    in.eventId = id;
    in.time = time;
    in.targets = Arrays.copyOf(targets, targets.length);
    in.sourceTopic = "labels";
    in.sourcePartition = 0;
    in.sourceOffset = time;
    return in;
  }

  /** An elapsed-time record for {@code id}. */
  public static EntityInput elapsed(String entity, String id, long time, long elapsedMillis) {
    EntityInput in = new EntityInput();
    in.kind = EntityInput.ELAPSED;
    in.entityId = entity;
    in.eventId = id;
    in.time = time;
    in.elapsedMillis = elapsedMillis;
    in.sourceTopic = "elapsed";
    return in;
  }
}
