package io.elapse.connectors;

/** Where a source starts reading when it has no checkpointed position. */
public enum StartPosition {
  /** From the earliest retained record. */
  EARLIEST,
  /** From the end: only records written after the start. */
  LATEST,
  /** From the consumer group's committed offsets, or the earliest record when there are none. */
  COMMITTED
}
