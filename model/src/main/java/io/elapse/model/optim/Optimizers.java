package io.elapse.model.optim;

/** Factory helpers for {@link Optimizer}s. */
public final class Optimizers {

  private Optimizers() {}

  /**
   * An optimizer rebuilt from a {@link Optimizer#snapshot()} alone: configuration and size are read
   * from the bytes (for a coordinator restoring from a checkpoint or a published model update).
   */
  public static Optimizer fromSnapshot(byte[] snapshot) {
    OptimizerConfig config = Snapshots.config(snapshot);
    Optimizer optimizer = config.create(Snapshots.size(snapshot));
    optimizer.restore(snapshot);
    return optimizer;
  }

  /** A new optimizer for {@code size} parameters from a spec, see {@link OptimizerConfig#parse}. */
  public static Optimizer fromSpec(String spec, int size) {
    return OptimizerConfig.parse(spec).create(size);
  }
}
