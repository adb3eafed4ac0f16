package io.elapse.connectors;

import java.util.Set;

/**
 * Every machine-readable dead-letter reason code, kebab-case, in one place. The pipeline adds its
 * own codes here too, so consumers of the dead-letter topic have one list to switch on.
 */
public final class ReasonCodes {

  /** Bad or truncated bytes, a missing single-object marker, or trailing garbage. */
  public static final String UNDECODABLE = "undecodable";

  /** A single-object header whose schema fingerprint no registered writer schema has. */
  public static final String UNKNOWN_SCHEMA = "unknown-schema";

  /** A null or empty record value. */
  public static final String EMPTY = "empty";

  /** A decoded field whose value is not allowed (NaN, out of range, wrong length, ...). */
  public static final String INVALID_FIELD = "invalid-field";

  /** A negative or absurd elapsed time. */
  public static final String INVALID_ELAPSED = "invalid-elapsed";

  /** A record too late for the event-time ordering it needs. */
  public static final String LATE = "late";

  /** A label for an event that has left the entity's window. */
  public static final String EXPIRED = "expired";

  /** A label or elapsed time for an event that was never seen. */
  public static final String UNKNOWN_EVENT = "unknown-event";

  /** A label naming a task the model does not have. */
  public static final String UNKNOWN_TASK = "unknown-task";

  /** A model update whose checksum or signature does not match. */
  public static final String INTEGRITY = "integrity";

  /** A verified model update whose configuration does not match the running job's. */
  public static final String INCOMPATIBLE_MODEL = "incompatible-model";

  /** A label that cannot wait: too many labels already wait for unseen events of its entity. */
  public static final String OVERFLOW = "overflow";

  /** A record whose type does not belong on the topic it was read from. */
  public static final String WRONG_TYPE = "wrong-type";

  /** Every code above. */
  public static final Set<String> ALL =
      Set.of(
          UNDECODABLE,
          UNKNOWN_SCHEMA,
          EMPTY,
          INVALID_FIELD,
          INVALID_ELAPSED,
          LATE,
          EXPIRED,
          UNKNOWN_EVENT,
          UNKNOWN_TASK,
          INTEGRITY,
          INCOMPATIBLE_MODEL,
          OVERFLOW,
          WRONG_TYPE);

  private ReasonCodes() {}
}
