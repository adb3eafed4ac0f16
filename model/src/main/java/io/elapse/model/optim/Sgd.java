package io.elapse.model.optim;

import java.util.Locale;

/**
 * Stochastic gradient descent with optional heavy-ball momentum (Polyak 1964; the form of Sutskever
 * et al. 2013 without Nesterov): v ← μ v + g, θ ← θ − lr · v. With μ = 0 it is plain θ ← θ − lr · g
 * and keeps no state beyond the iteration count. {@link #stepSparse} updates only the named
 * entries' velocity (lazy momentum).
 */
public final class Sgd implements Optimizer {

  private final OptimizerConfig config;
  private final int size;
  private final float[] velocity;
  private long iteration;

  /** SGD for {@code size} parameters; {@code config.type()} must be SGD. */
  public Sgd(OptimizerConfig config, int size) {
    if (config.type() != OptimizerConfig.Type.SGD) {
      throw new IllegalArgumentException("expected an SGD config, got " + config.type());
    }
    if (size < 0) {
      throw new IllegalArgumentException("expected a parameter count >= 0, got " + size);
    }
    this.config = config;
    this.size = size;
    this.velocity = new float[config.momentum() == 0.0 ? 0 : size];
  }

  @Override
  public void step(float[] params, float[] gradient) {
    Snapshots.checkDense(size, params, gradient);
    float lr = (float) config.learningRate();
    if (velocity.length == 0) {
      for (int i = 0; i < size; i++) {
        params[i] -= lr * gradient[i];
      }
    } else {
      float mu = (float) config.momentum();
      for (int i = 0; i < size; i++) {
        float vi = mu * velocity[i] + gradient[i];
        velocity[i] = vi;
        params[i] -= lr * vi;
      }
    }
    iteration++;
  }

  @Override
  public void stepSparse(float[] params, int[] indices, float[] values) {
    Snapshots.checkSparse(size, params, indices, values);
    float lr = (float) config.learningRate();
    float mu = (float) config.momentum();
    for (int k = 0; k < indices.length; k++) {
      int i = indices[k];
      if (velocity.length == 0) {
        params[i] -= lr * values[k];
      } else {
        float vi = mu * velocity[i] + values[k];
        velocity[i] = vi;
        params[i] -= lr * vi;
      }
    }
    iteration++;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public long iteration() {
    return iteration;
  }

  @Override
  public OptimizerConfig config() {
    return config;
  }

  @Override
  public byte[] snapshot() {
    return velocity.length == 0
        ? Snapshots.write(config, size, iteration)
        : Snapshots.write(config, size, iteration, velocity);
  }

  @Override
  public void restore(byte[] snapshot) {
    iteration =
        velocity.length == 0
            ? Snapshots.read(snapshot, config, size)
            : Snapshots.read(snapshot, config, size, velocity);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "Sgd{lr=%s, momentum=%s, size=%d, iteration=%d}",
        config.learningRate(),
        config.momentum(),
        size,
        iteration);
  }
}
