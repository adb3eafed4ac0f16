package io.elapse.model.cell;

import io.elapse.model.config.ModelConfig;

/**
 * Reusable workspace for one cell step: the input x, the activated gates and everything the
 * backward pass needs, plus backward scratch. Preallocate once per thread; never shared.
 */
public final class StepCache {
  final float[] x;
  final float[] hPrev; // H: h_{t-1} as used by the step
  final float[] gates; // 4H activated: [0,H) g, [H,2H) f, [2H,3H) o, [3H,4H) i
  final float[] decay; // H: exp(-softplus(λ) φ) (DECAY)
  final float[] inner; // H: σ(w_tt φ) (TIME_GATE)
  final float[] timeGate; // H: T (TIME_GATE)
  final float[] c;
  final float[] tanhC;
  final float[] h;
  final float[] dz; // 4H scratch
  final float[] dzt; // H scratch
  float phi;
  int bucket;

  /** Allocates a workspace sized for the configuration. */
  public StepCache(ModelConfig config) {
    int hs = config.hiddenSize();
    x = new float[config.inputSize()];
    hPrev = new float[hs];
    gates = new float[4 * hs];
    decay = new float[hs];
    inner = new float[hs];
    timeGate = new float[hs];
    c = new float[hs];
    tanhC = new float[hs];
    h = new float[hs];
    dz = new float[4 * hs];
    dzt = new float[hs];
  }

  /** The hidden state h after the step (a view; do not modify). */
  public float[] h() {
    return h;
  }

  /** The cell state c after the step (a view; do not modify). */
  public float[] c() {
    return c;
  }
}
