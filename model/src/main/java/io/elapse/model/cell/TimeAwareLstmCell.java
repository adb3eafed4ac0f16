package io.elapse.model.cell;

import io.elapse.model.EventInput;
import io.elapse.model.ParameterLayout;
import io.elapse.model.ParameterLayout.Group;
import io.elapse.model.config.ModelConfig;
import io.elapse.model.config.TimeModulation;

/**
 * The time-aware LSTM cell and the multi-label head, forward and backward, on a flat parameter
 * array laid out by {@link ParameterLayout}.
 *
 * <p>Input x = [embedding(bucket); features; φ(Δt)] (size I). Gate pre-activations z = b + xᵀW_x +
 * h_{t−1}ᵀW_h (4H, DL4J block order g, f, o, i). Standard LSTM without peepholes (Hochreiter &amp;
 * Schmidhuber 1997; Gers et al. 2000 forget gate), as DL4J's {@code LSTM} with tanh activation:
 *
 * <pre>
 *   g = tanh(z_g), f = σ(z_f), o = σ(z_o), i = σ(z_i)
 *   c_t = f' ⊙ c_{t−1} + i ⊙ T ⊙ g,    h_t = o ⊙ tanh(c_t)
 * </pre>
 *
 * where, by modulation:
 *
 * <ul>
 *   <li>NONE: f' = f, T = 1.
 *   <li>DECAY: f' = f ⊙ exp(−softplus(λ) φ(Δt)), T = 1, λ ∈ R^H learned (a learned per-unit
 *       exponential decay of memory in elapsed time, in the spirit of the decay of T-LSTM, Baytas
 *       et al., KDD 2017, and GRU-D, Che et al., 2018, applied to the forget gate).
 *   <li>TIME_GATE: f' = f, T = σ(xᵀW_t + σ(w_tt ⊙ φ(Δt)) + b_t): the time gate of Time-LSTM1 (Zhu
 *       et al., "What to Do Next: Modeling User Behaviors by Time-LSTM", IJCAI 2017, Eq. 6–8: T_m =
 *       σ(x_m W_xt + σ(Δt_m W_tt) + b_t), c_m = f_m ⊙ c_{m−1} + i_m ⊙ T_m ⊙ c̃_m), with φ(Δt) in
 *       place of Δt. Their output-gate term Δt_m W_to is the φ row of W_x. No sign constraint on
 *       w_tt.
 * </ul>
 *
 * Head: logits = b_o + hᵀW_o (K independent sigmoid outputs).
 *
 * <p>The cell keeps a reference to the parameter array (owned and never modified by {@code
 * LstmModel}) and precomputes transposed copies for the backward pass. Instances are immutable and
 * thread-safe; all mutable state lives in the caller's {@link StepCache}.
 */
public final class TimeAwareLstmCell {
  private final int hs;
  private final int g4;
  private final int in;
  private final int emb;
  private final int nf;
  private final int k;
  private final TimeModulation mod;
  private final float[] p;
  // absolute offsets in p
  private final int pEmb;
  private final int pWx;
  private final int pWh;
  private final int pB;
  private final int pLam;
  private final int pTw;
  private final int pTwtt;
  private final int pTb;
  private final int pHw;
  private final int pHb;
  private final int dense0;
  // transposes for backward: [4H][H], [4H][E], [H][E], [K][H]
  private final float[] whT;
  private final float[] wxEmbT;
  private final float[] twEmbT;
  private final float[] hwT;
  // DECAY: softplus(λ) and σ(λ)
  private final float[] rate;
  private final float[] rateDeriv;

  /**
   * Binds the kernels to a parameter array.
   *
   * @param config the configuration
   * @param layout its layout
   * @param params the flat parameters; referenced, never modified; must not change afterwards
   */
  public TimeAwareLstmCell(ModelConfig config, ParameterLayout layout, float[] params) {
    if (params.length != layout.size()) {
      throw new IllegalArgumentException(
          "expected " + layout.size() + " parameters, got " + params.length);
    }
    hs = config.hiddenSize();
    g4 = 4 * hs;
    in = config.inputSize();
    emb = config.embeddingDim();
    nf = config.numFeatures();
    k = config.numTasks();
    mod = config.modulation();
    p = params;
    pEmb = layout.offset(Group.EMBEDDING);
    pWx = layout.offset(Group.W_X);
    pWh = layout.offset(Group.W_H);
    pB = layout.offset(Group.B);
    pLam = layout.has(Group.DECAY_LAMBDA) ? layout.offset(Group.DECAY_LAMBDA) : -1;
    pTw = layout.has(Group.TIME_W) ? layout.offset(Group.TIME_W) : -1;
    pTwtt = layout.has(Group.TIME_WTT) ? layout.offset(Group.TIME_WTT) : -1;
    pTb = layout.has(Group.TIME_B) ? layout.offset(Group.TIME_B) : -1;
    pHw = layout.offset(Group.HEAD_W);
    pHb = layout.offset(Group.HEAD_B);
    dense0 = layout.denseOffset();
    whT = new float[g4 * hs];
    for (int j = 0; j < hs; j++) {
      for (int col = 0; col < g4; col++) {
        whT[col * hs + j] = p[pWh + j * g4 + col];
      }
    }
    wxEmbT = new float[g4 * emb];
    for (int j = 0; j < emb; j++) {
      for (int col = 0; col < g4; col++) {
        wxEmbT[col * emb + j] = p[pWx + j * g4 + col];
      }
    }
    if (mod == TimeModulation.TIME_GATE) {
      twEmbT = new float[hs * emb];
      for (int j = 0; j < emb; j++) {
        for (int n = 0; n < hs; n++) {
          twEmbT[n * emb + j] = p[pTw + j * hs + n];
        }
      }
    } else {
      twEmbT = null;
    }
    hwT = new float[k * hs];
    for (int j = 0; j < hs; j++) {
      for (int t = 0; t < k; t++) {
        hwT[t * hs + j] = p[pHw + j * k + t];
      }
    }
    if (mod == TimeModulation.DECAY) {
      rate = new float[hs];
      rateDeriv = new float[hs];
      for (int n = 0; n < hs; n++) {
        double lam = p[pLam + n];
        rate[n] = (float) softplus(lam);
        rateDeriv[n] = (float) sigmoid(lam);
      }
    } else {
      rate = null;
      rateDeriv = null;
    }
  }

  /** softplus(x) = log(1 + eˣ), computed stably. */
  public static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  /** The logistic function. */
  public static double sigmoid(double x) {
    return 1.0 / (1.0 + Math.exp(-x));
  }

  private static float tanh(float x) {
    // tanh via one exp in double: accurate to float rounding for all x.
    double e = Math.exp(-2.0 * Math.abs(x));
    double t = (1.0 - e) / (1.0 + e);
    return (float) (x < 0 ? -t : t);
  }

  /**
   * One forward step from (hPrev, cPrev) on an event; fills the cache (x, gates, c, h, …).
   *
   * @param event the validated event
   * @param hPrev h_{t−1} (H), not modified
   * @param cPrev c_{t−1} (H), not modified
   * @param s the workspace that receives the step's values
   */
  public void forward(EventInput event, float[] hPrev, float[] cPrev, StepCache s) {
    final float[] x = s.x;
    final int bucket = event.bucket();
    System.arraycopy(p, pEmb + bucket * emb, x, 0, emb);
    if (nf > 0) {
      event.copyFeaturesTo(x, emb);
    }
    final float phi = event.phi();
    x[in - 1] = phi;
    s.phi = phi;
    s.bucket = bucket;
    final float[] z = s.gates;
    System.arraycopy(p, pB, z, 0, g4);
    for (int j = 0; j < in; j++) {
      final float xj = x[j];
      if (xj != 0f) {
        axpy(xj, p, pWx + j * g4, z, g4);
      }
    }
    for (int j = 0; j < hs; j++) {
      final float hj = hPrev[j];
      if (hj != 0f) {
        axpy(hj, p, pWh + j * g4, z, g4);
      }
    }
    for (int n = 0; n < hs; n++) {
      z[n] = tanh(z[n]);
    }
    for (int n = hs; n < g4; n++) {
      z[n] = (float) (1.0 / (1.0 + Math.exp(-z[n])));
    }
    final float[] c = s.c;
    final float[] tc = s.tanhC;
    final float[] h = s.h;
    switch (mod) {
      case NONE -> {
        for (int n = 0; n < hs; n++) {
          c[n] = z[hs + n] * cPrev[n] + z[3 * hs + n] * z[n];
        }
      }
      case DECAY -> {
        final float[] d = s.decay;
        for (int n = 0; n < hs; n++) {
          d[n] = phi == 0f ? 1f : (float) Math.exp(-rate[n] * (double) phi);
          c[n] = z[hs + n] * d[n] * cPrev[n] + z[3 * hs + n] * z[n];
        }
      }
      case TIME_GATE -> {
        final float[] u = s.inner;
        final float[] t = s.timeGate;
        System.arraycopy(p, pTb, t, 0, hs);
        for (int j = 0; j < in; j++) {
          final float xj = x[j];
          if (xj != 0f) {
            axpy(xj, p, pTw + j * hs, t, hs);
          }
        }
        for (int n = 0; n < hs; n++) {
          u[n] = (float) sigmoid(p[pTwtt + n] * (double) phi);
          t[n] = (float) sigmoid(t[n] + u[n]);
          c[n] = z[hs + n] * cPrev[n] + z[3 * hs + n] * t[n] * z[n];
        }
      }
    }
    for (int n = 0; n < hs; n++) {
      tc[n] = tanh(c[n]);
      h[n] = z[2 * hs + n] * tc[n];
    }
  }

  /**
   * The head: logits = b_o + hᵀW_o.
   *
   * @param h hidden state (H), not modified
   * @param logits receives K logits
   */
  public void head(float[] h, float[] logits) {
    System.arraycopy(p, pHb, logits, 0, k);
    for (int j = 0; j < hs; j++) {
      final float hj = h[j];
      if (hj != 0f) {
        axpy(hj, p, pHw + j * k, logits, k);
      }
    }
  }

  /**
   * Backward of the head: accumulates dW_o, db_o into {@code dense} and W_o·dLogits into {@code dh}
   * (both in place).
   *
   * @param h the hidden state the logits came from
   * @param dLogits dL/dlogits (K), not modified
   * @param dh accumulates dL/dh (H)
   * @param dense accumulates the dense gradient (indexed from {@link
   *     ParameterLayout#denseOffset()})
   */
  public void headBackward(float[] h, float[] dLogits, float[] dh, float[] dense) {
    final int oW = pHw - dense0;
    final int oB = pHb - dense0;
    for (int t = 0; t < k; t++) {
      dense[oB + t] += dLogits[t];
    }
    for (int j = 0; j < hs; j++) {
      final float hj = h[j];
      if (hj != 0f) {
        axpy(hj, dLogits, 0, dense, oW + j * k, k);
      }
    }
    for (int t = 0; t < k; t++) {
      final float dl = dLogits[t];
      if (dl != 0f) {
        axpy(dl, hwT, t * hs, dh, 0, hs);
      }
    }
  }

  /**
   * Backward of one step (in place on the output arrays, documented hot-path kernel).
   *
   * @param s the step's forward cache
   * @param hPrev h_{t−1} used in the forward step
   * @param cPrev c_{t−1} used in the forward step
   * @param dh dL/dh_t (total, including the head and the future), not modified
   * @param dc dL/dc_t from the future, not modified
   * @param dhPrev receives dL/dh_{t−1} (overwritten)
   * @param dcPrev receives dL/dc_{t−1} (overwritten)
   * @param dense accumulates the dense gradient
   * @param dEmb receives dL/d(embedding row of the step's bucket) (E, overwritten)
   */
  public void backward(
      StepCache s,
      float[] hPrev,
      float[] cPrev,
      float[] dh,
      float[] dc,
      float[] dhPrev,
      float[] dcPrev,
      float[] dense,
      float[] dEmb) {
    final float[] z = s.gates;
    final float[] dz = s.dz;
    final float[] tc = s.tanhC;
    final float phi = s.phi;
    final boolean decay = mod == TimeModulation.DECAY;
    final boolean gate = mod == TimeModulation.TIME_GATE;
    final float[] dzt = s.dzt;
    for (int n = 0; n < hs; n++) {
      final float g = z[n];
      final float f = z[hs + n];
      final float o = z[2 * hs + n];
      final float i = z[3 * hs + n];
      final float t = gate ? s.timeGate[n] : 1f;
      final float d = decay ? s.decay[n] : 1f;
      final float dO = dh[n] * tc[n];
      final float dC = dc[n] + dh[n] * o * (1f - tc[n] * tc[n]);
      dcPrev[n] = dC * f * d;
      final float dFeff = dC * cPrev[n];
      final float dI = dC * t * g;
      final float dG = dC * i * t;
      dz[n] = dG * (1f - g * g);
      dz[hs + n] = dFeff * d * f * (1f - f);
      dz[2 * hs + n] = dO * o * (1f - o);
      dz[3 * hs + n] = dI * i * (1f - i);
      if (decay) {
        // d = exp(-softplus(λ) φ): ∂d/∂λ = -φ σ(λ) d
        dense[pLam - dense0 + n] += dFeff * f * (-phi) * rateDeriv[n] * d;
      }
      if (gate) {
        final float dT = dC * i * g;
        final float dZt = dT * t * (1f - t);
        dzt[n] = dZt;
        final float u = s.inner[n];
        dense[pTb - dense0 + n] += dZt;
        dense[pTwtt - dense0 + n] += dZt * u * (1f - u) * phi;
      }
    }
    final float[] x = s.x;
    final int oB = pB - dense0;
    for (int col = 0; col < g4; col++) {
      dense[oB + col] += dz[col];
    }
    final int oWx = pWx - dense0;
    for (int j = 0; j < in; j++) {
      final float xj = x[j];
      if (xj != 0f) {
        axpy(xj, dz, 0, dense, oWx + j * g4, g4);
      }
    }
    final int oWh = pWh - dense0;
    for (int j = 0; j < hs; j++) {
      final float hj = hPrev[j];
      if (hj != 0f) {
        axpy(hj, dz, 0, dense, oWh + j * g4, g4);
      }
    }
    java.util.Arrays.fill(dhPrev, 0f);
    java.util.Arrays.fill(dEmb, 0f);
    for (int col = 0; col < g4; col++) {
      final float dzc = dz[col];
      if (dzc != 0f) {
        axpy(dzc, whT, col * hs, dhPrev, 0, hs);
        axpy(dzc, wxEmbT, col * emb, dEmb, 0, emb);
      }
    }
    if (gate) {
      final int oTw = pTw - dense0;
      for (int j = 0; j < in; j++) {
        final float xj = x[j];
        if (xj != 0f) {
          axpy(xj, dzt, 0, dense, oTw + j * hs, hs);
        }
      }
      for (int n = 0; n < hs; n++) {
        final float v = dzt[n];
        if (v != 0f) {
          axpy(v, twEmbT, n * emb, dEmb, 0, emb);
        }
      }
    }
  }

  /** y[0..n) += a · src[srcOff..srcOff+n) (auto-vectorized by C2). */
  private static void axpy(float a, float[] src, int srcOff, float[] y, int n) {
    for (int q = 0; q < n; q++) {
      y[q] += a * src[srcOff + q];
    }
  }

  /** y[yOff..yOff+n) += a · src[srcOff..srcOff+n). */
  private static void axpy(float a, float[] src, int srcOff, float[] y, int yOff, int n) {
    for (int q = 0; q < n; q++) {
      y[yOff + q] += a * src[srcOff + q];
    }
  }

  /** H. */
  public int hiddenSize() {
    return hs;
  }

  /** K. */
  public int numTasks() {
    return k;
  }
}
