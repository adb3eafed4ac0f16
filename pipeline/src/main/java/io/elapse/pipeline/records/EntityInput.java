package io.elapse.pipeline.records;

/**
 * One decoded, validated input for an entity: an event, an elapsed time or a label. A tagged union
 * so that the three streams can be keyed together into the learner.
 */
public class EntityInput {

  /** An event. */
  public static final byte EVENT = 0;

  /** An elapsed time from the elapsed-time topic. */
  public static final byte ELAPSED = 1;

  /** A label. */
  public static final byte LABEL = 2;

  /** One of {@link #EVENT}, {@link #ELAPSED}, {@link #LABEL}. */
  public byte kind;

  /** The entity. */
  public String entityId;

  /** The event this input is or refers to. */
  public String eventId;

  /** Event time for events, label time for labels, the record timestamp for elapsed times. */
  public long time;

  /** Event type (events only). */
  public String eventType;

  /** Numeric features (events only); null when none. */
  public float[] features;

  /** Explicit elapsed millis (events) or the elapsed value (elapsed times); -1 when absent. */
  public long elapsedMillis = -1;

  /** Label targets in task order, NaN where missing (labels only). */
  public float[] targets;

  /** Label sample weight (labels only). */
  public float sampleWeight = 1f;

  /** Topic of origin. */
  public String sourceTopic;

  /** Partition of origin. */
  public int sourcePartition = -1;

  /** Offset of origin. */
  public long sourceOffset = -1;

  /** Wall-clock time the job read the record. */
  public long ingestTime;

  /** For Flink's POJO serializer. */
  public EntityInput() {}

  /** Whether this is an event. */
  public boolean isEvent() {
    return kind == EVENT;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case EVENT -> "Event(" + entityId + "/" + eventId + " @" + time + ")";
      case ELAPSED -> "Elapsed(" + entityId + "/" + eventId + "=" + elapsedMillis + ")";
      case LABEL -> "Label(" + entityId + "/" + eventId + " @" + time + ")";
      default -> "EntityInput(kind=" + kind + ")";
    };
  }
}
