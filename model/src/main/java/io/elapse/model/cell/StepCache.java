package io.elapse.model.cell;

import io.elapse.model.config.ModelConfig;

/**
 * Reusable workspace for one cell step: the input x, the activated gates and everything the
 * backward pass needs, plus backward scratch. Preallocate once per thread; never shared. Every
 * vector is its own array (index 0 = unit 0) so the kernels' loops vectorize (see {@code Vec}).
 */
public final class StepCache {
  final float[] x; // I
  final float[] hPrev; // H: h_{t-1} as used by the step
  final float[] z; // Z = 4H (+H for TIME_GATE): pre-activations, then activations in place
  final float[] g; // H: cell candidate tanh(z_g)
  final float[] f; // H: forget gate
  final float[] o; // H: output gate
  final float[] i; // H: input gate
  final float[] decay; // H: exp(-softplus(λ) φ) (DECAY)
  final double[] decayTmp; // H (DECAY)
  final float[] inner; // H: σ(w_tt φ) (TIME_GATE)
  final float[] timeGate; // H: T (TIME_GATE)
  final float[] c;
  final float[] tanhC;
  final float[] h;
  final float[] dz; // Z: gate gradients [dz_g, dz_f, dz_o, dz_i (, dz_t)] of the step
  final float[] dzg; // H scratch
  final float[] dzf; // H scratch
  final float[] dzo; // H scratch
  final float[] dzi; // H scratch
  final float[] dzt; // H scratch
  final float[] dhe; // H + E scratch: [dL/dh_{t-1}; dL/d embedding row]
  final float[] de; // E scratch
  final float[] logits; // head width (K rounded up to a multiple of 16): logits, then zeros
  float phi;
  int bucket;

  /** Allocates a workspace sized for the configuration. */
  public StepCache(ModelConfig config) {
    int hs = config.hiddenSize();
    int zw = TimeAwareLstmCell.zWidth(config);
    x = new float[config.inputSize()];
    hPrev = new float[hs];
    z = new float[zw];
    g = new float[hs];
    f = new float[hs];
    o = new float[hs];
    i = new float[hs];
    decay = new float[hs];
    decayTmp = new double[hs];
    inner = new float[hs];
    timeGate = new float[hs];
    c = new float[hs];
    tanhC = new float[hs];
    h = new float[hs];
    dz = new float[zw];
    dzg = new float[hs];
    dzf = new float[hs];
    dzo = new float[hs];
    dzi = new float[hs];
    dzt = new float[hs];
    dhe = new float[hs + config.embeddingDim()];
    de = new float[config.embeddingDim()];
    logits = new float[TimeAwareLstmCell.headWidth(config)];
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
