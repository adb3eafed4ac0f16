package io.elapse.model.optim;

import java.util.Locale;

/**
 * Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015), in the form of
 * Algorithm 1 with the efficiency rewrite of its Section 2, which is also what ND4J's {@code
 * AdamUpdater} computes:
 *
 * <pre>
 *   m ← β1 m + (1 − β1) g
 *   v ← β2 v + (1 − β2) g²
 *   α_t = lr · sqrt(1 − β2^t) / (1 − β1^t)
 *   θ ← θ − α_t · m / (sqrt(v) + ε)
 * </pre>
 *
 * with t the 1-based step count. Moments are float32; α_t is computed in double and rounded once
 * per step. {@link #stepSparse} is lazy Adam: only the named entries' moments move, with the global
 * t in the bias correction. Non-finite gradients are not checked for (hot path).
 */
public final class Adam implements Optimizer {

  private final OptimizerConfig config;
  private final int size;
  private final float[] m;
  private final float[] v;
  private long iteration;

  /** Adam for {@code size} parameters; {@code config.type()} must be ADAM. */
  public Adam(OptimizerConfig config, int size) {
    if (config.type() != OptimizerConfig.Type.ADAM) {
      throw new IllegalArgumentException("expected an ADAM config, got " + config.type());
    }
    if (size < 0) {
      throw new IllegalArgumentException("expected a parameter count >= 0, got " + size);
    }
    this.config = config;
    this.size = size;
    this.m = new float[size];
    this.v = new float[size];
  }

  @Override
  public void step(float[] params, float[] gradient) {
    Snapshots.checkDense(size, params, gradient);
    float alphaT = stepSize();
    float b1 = (float) config.beta1();
    float b2 = (float) config.beta2();
    float c1 = (float) (1.0 - config.beta1());
    float c2 = (float) (1.0 - config.beta2());
    float eps = (float) config.epsilon();
    float[] m = this.m;
    float[] v = this.v;
    for (int i = 0; i < size; i++) {
      float g = gradient[i];
      float mi = b1 * m[i] + c1 * g;
      float vi = b2 * v[i] + c2 * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] -= alphaT * mi / ((float) Math.sqrt(vi) + eps);
    }
    iteration++;
  }

  @Override
  public void stepSparse(float[] params, int[] indices, float[] values) {
    Snapshots.checkSparse(size, params, indices, values);
    float alphaT = stepSize();
    float b1 = (float) config.beta1();
    float b2 = (float) config.beta2();
    float c1 = (float) (1.0 - config.beta1());
    float c2 = (float) (1.0 - config.beta2());
    float eps = (float) config.epsilon();
    for (int k = 0; k < indices.length; k++) {
      int i = indices[k];
      float g = values[k];
      float mi = b1 * m[i] + c1 * g;
      float vi = b2 * v[i] + c2 * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] -= alphaT * mi / ((float) Math.sqrt(vi) + eps);
    }
    iteration++;
  }

  private float stepSize() {
    double t = iteration + 1.0;
    double bc1 = 1.0 - Math.pow(config.beta1(), t);
    double bc2 = 1.0 - Math.pow(config.beta2(), t);
    return (float) (config.learningRate() * Math.sqrt(bc2) / bc1);
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
    return Snapshots.write(config, size, iteration, m, v);
  }

  @Override
  public void restore(byte[] snapshot) {
    iteration = Snapshots.read(snapshot, config, size, m, v);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "Adam{lr=%s, beta1=%s, beta2=%s, epsilon=%s, size=%d, iteration=%d}",
        config.learningRate(),
        config.beta1(),
        config.beta2(),
        config.epsilon(),
        size,
        iteration);
  }
}
