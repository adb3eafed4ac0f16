package io.elapse.model.optim;

/**
 * A stateful first-order optimizer for one flat parameter vector of fixed length. Not thread-safe.
 */
public interface Optimizer {

  /**
   * Applies one update in place: {@code params} is modified (documented hot-path mutation), {@code
   * gradient} (of the loss, to be descended) is not. Both must have length {@link #size()}. Counts
   * as one iteration.
   */
  void step(float[] params, float[] gradient);

  /**
   * Applies one update in place from a sparse gradient: entry {@code indices[i]} of the gradient is
   * {@code values[i]}, every other entry is zero. Lazy: state of parameters not named is neither
   * decayed nor used, so this differs from a dense step with zeros for stateful optimizers (the
   * "lazy Adam" of embedding tables). Indices must be distinct. Counts as one iteration.
   */
  void stepSparse(float[] params, int[] indices, float[] values);

  /** Number of parameters this optimizer was created for. */
  int size();

  /** Number of steps applied so far. */
  long iteration();

  /** The configuration this optimizer was created from. */
  OptimizerConfig config();

  /** The complete state (configuration, iteration, moments) as bytes; see {@link #restore}. */
  byte[] snapshot();

  /**
   * Replaces the state by a {@link #snapshot()} of an optimizer with the same configuration and
   * size; afterwards this optimizer behaves bit-for-bit like the one snapshotted.
   *
   * @throws IllegalArgumentException if the bytes are not such a snapshot, naming what differs
   */
  void restore(byte[] snapshot);
}
