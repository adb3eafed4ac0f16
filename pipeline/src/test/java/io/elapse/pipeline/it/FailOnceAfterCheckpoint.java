package io.elapse.pipeline.it;

import io.elapse.connectors.RawRecord;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Passes records through and throws once, after two checkpoints have completed and at least {@code
 * after} records went through this subtask: a clean, injected failure mid-stream.
 */
final class FailOnceAfterCheckpoint
    implements MapFunction<RawRecord, RawRecord>, CheckpointListener {

  /** Whether the failure already happened (shared by the JVM's MiniCluster). */
  static final AtomicBoolean FAILED = new AtomicBoolean();

  /** Checkpoints completed, summed over this function's subtasks (shared by the JVM). */
  static final java.util.concurrent.atomic.AtomicInteger CHECKPOINTS =
      new java.util.concurrent.atomic.AtomicInteger();

  private final long after;
  private long seen;
  private int checkpoints;

  FailOnceAfterCheckpoint(long after) {
    this.after = after;
  }

  @Override
  public RawRecord map(RawRecord value) {
    seen++;
    if (checkpoints >= 2 && seen >= after && FAILED.compareAndSet(false, true)) {
      throw new IllegalStateException("injected failure after " + seen + " records");
    }
    return value;
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    checkpoints++;
    CHECKPOINTS.incrementAndGet();
  }
}
