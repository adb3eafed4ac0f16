package io.elapse.model.cell;

import io.elapse.model.EventInput;
import io.elapse.model.ParameterLayout;
import io.elapse.model.ParameterLayout.Group;
import io.elapse.model.config.ModelConfig;
import io.elapse.model.config.TimeModulation;
import java.util.concurrent.atomic.AtomicReferenceArray;

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
 * <p>Compute layout: the cell keeps a reference to the parameter array (owned and never modified by
 * {@code LstmModel}) for the embedding, and copies the dense weights once, at construction, into
 * one {@code float[]} per row: input rows [W_x row j | W_t row j] (4H, or 5H with the time gate, so
 * the gates and the time gate come out of one pass), recurrent rows W_h row j, head rows W_o row j,
 * and for the backward pass the transposed rows [W_h column c ; W_x column c restricted to the
 * embedding] (H + E), W_t columns restricted to the embedding and W_o columns. Every matrix-vector
 * product is then a sum of axpy passes over whole rows, on the JDK Vector API or in loops C2
 * vectorizes (see {@code Vec}). The embedding's share of the input product, emb[b]ᵀW_x (E × Z
 * multiply-adds, a third of a step), is the same for every event of bucket b, so it is computed on
 * the bucket's first event and kept (at most V arrays of Z floats per parameter set). The
 * serialized flat layout ({@link ParameterLayout}) is unchanged. Instances are immutable and
 * thread-safe; all mutable state lives in the caller's {@link StepCache} and {@link CellGradient}.
 */
public final class TimeAwareLstmCell {
  private final int hs;
  private final int g4;
  private final int zw;
  private final int in;
  private final int emb;
  private final int nf;
  private final int k;
  private final TimeModulation mod;
  private final float[] p;
  private final int pEmb;
  // compute layout (see the class javadoc)
  private final float[][] xRows; // [I][Z]
  private final float[][] hRows; // [H][4H]
  private final float[] bias; // [Z]: b, then b_t for TIME_GATE
  // head width: K rounded up to a multiple of 16, so its rows are whole vectors
  private final int kw;
  private final float[][] headRows; // [H][kw], zero past K
  private final float[] headBias; // [kw], zero past K
  private final float[][] backRows; // [4H][H+E]
  private final float[][] timeBackRows; // [H][E] (TIME_GATE)
  private final float[][] headBackRows; // [K][H]
  // DECAY: softplus(λ) and σ(λ)
  private final double[] rate;
  private final float[] rateDeriv;
  // TIME_GATE: w_tt
  private final float[] wtt;
  // per bucket, emb[b]·[W_x; W_t] rows 0..E, computed on first use (see the class javadoc)
  private final AtomicReferenceArray<float[]> projections;

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
    zw = zWidth(config);
    in = config.inputSize();
    emb = config.embeddingDim();
    nf = config.numFeatures();
    k = config.numTasks();
    kw = headWidth(config);
    mod = config.modulation();
    p = params;
    pEmb = layout.offset(Group.EMBEDDING);
    final int pWx = layout.offset(Group.W_X);
    final int pWh = layout.offset(Group.W_H);
    final boolean gate = mod == TimeModulation.TIME_GATE;
    final int pTw = gate ? layout.offset(Group.TIME_W) : -1;
    final int pHw = layout.offset(Group.HEAD_W);
    xRows = new float[in][zw];
    for (int j = 0; j < in; j++) {
      System.arraycopy(p, pWx + j * g4, xRows[j], 0, g4);
      if (gate) {
        System.arraycopy(p, pTw + j * hs, xRows[j], g4, hs);
      }
    }
    hRows = new float[hs][g4];
    for (int j = 0; j < hs; j++) {
      System.arraycopy(p, pWh + j * g4, hRows[j], 0, g4);
    }
    bias = new float[zw];
    System.arraycopy(p, layout.offset(Group.B), bias, 0, g4);
    if (gate) {
      System.arraycopy(p, layout.offset(Group.TIME_B), bias, g4, hs);
    }
    headRows = new float[hs][kw];
    for (int j = 0; j < hs; j++) {
      System.arraycopy(p, pHw + j * k, headRows[j], 0, k);
    }
    headBias = new float[kw];
    System.arraycopy(p, layout.offset(Group.HEAD_B), headBias, 0, k);
    backRows = new float[g4][hs + emb];
    for (int col = 0; col < g4; col++) {
      for (int j = 0; j < hs; j++) {
        backRows[col][j] = p[pWh + j * g4 + col];
      }
      for (int e = 0; e < emb; e++) {
        backRows[col][hs + e] = p[pWx + e * g4 + col];
      }
    }
    if (gate) {
      timeBackRows = new float[hs][emb];
      for (int n = 0; n < hs; n++) {
        for (int e = 0; e < emb; e++) {
          timeBackRows[n][e] = p[pTw + e * hs + n];
        }
      }
      wtt = new float[hs];
      System.arraycopy(p, layout.offset(Group.TIME_WTT), wtt, 0, hs);
    } else {
      timeBackRows = null;
      wtt = null;
    }
    headBackRows = new float[k][hs];
    for (int t = 0; t < k; t++) {
      for (int j = 0; j < hs; j++) {
        headBackRows[t][j] = p[pHw + j * k + t];
      }
    }
    projections = new AtomicReferenceArray<>(config.vocabularyBuckets());
    if (mod == TimeModulation.DECAY) {
      final int pLam = layout.offset(Group.DECAY_LAMBDA);
      rate = new double[hs];
      rateDeriv = new float[hs];
      for (int n = 0; n < hs; n++) {
        double lam = p[pLam + n];
        rate[n] = softplus(lam);
        rateDeriv[n] = (float) sigmoid(lam);
      }
    } else {
      rate = null;
      rateDeriv = null;
    }
  }

  /** The head's compute width: K rounded up to a multiple of 16 (whole 512-bit vectors). */
  static int headWidth(ModelConfig config) {
    return (config.numTasks() + 15) & ~15;
  }

  /** Width Z of the pre-activation vector: 4H, plus H for the TIME_GATE time gate. */
  static int zWidth(ModelConfig config) {
    int h = config.hiddenSize();
    return config.modulation() == TimeModulation.TIME_GATE ? 5 * h : 4 * h;
  }

  /** softplus(x) = log(1 + eˣ), computed stably. */
  public static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  /** The logistic function. */
  public static double sigmoid(double x) {
    return 1.0 / (1.0 + Math.exp(-x));
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
    System.arraycopy(hPrev, 0, s.hPrev, 0, hs);
    final float[] z = s.z;
    System.arraycopy(bias, 0, z, 0, zw);
    Vec.add(projection(bucket, x), z, zw);
    Vec.gemv(x, emb, in, xRows, zw, z);
    Vec.gemv(s.hPrev, 0, hs, hRows, g4, z);
    final float[] g = s.g;
    final float[] f = s.f;
    final float[] o = s.o;
    final float[] i = s.i;
    Vec.tanh(z, g, 0, hs);
    Vec.sigmoid(z, z, hs, g4);
    System.arraycopy(z, hs, f, 0, hs);
    System.arraycopy(z, 2 * hs, o, 0, hs);
    System.arraycopy(z, 3 * hs, i, 0, hs);
    final float[] c = s.c;
    switch (mod) {
      case NONE -> {
        for (int n = 0; n < hs; n++) {
          c[n] = f[n] * cPrev[n] + i[n] * g[n];
        }
      }
      case DECAY -> {
        final float[] d = s.decay;
        Vec.expNegScaled(rate, phi, s.decayTmp, d, hs);
        for (int n = 0; n < hs; n++) {
          c[n] = f[n] * d[n] * cPrev[n] + i[n] * g[n];
        }
      }
      case TIME_GATE -> {
        final float[] u = s.inner;
        final float[] t = s.timeGate;
        for (int n = 0; n < hs; n++) {
          u[n] = wtt[n] * phi;
        }
        Vec.sigmoid(u, u, 0, hs);
        System.arraycopy(z, g4, t, 0, hs);
        for (int n = 0; n < hs; n++) {
          t[n] += u[n];
        }
        Vec.sigmoid(t, t, 0, hs);
        for (int n = 0; n < hs; n++) {
          c[n] = f[n] * cPrev[n] + i[n] * t[n] * g[n];
        }
      }
    }
    final float[] tc = s.tanhC;
    final float[] h = s.h;
    Vec.tanh(c, tc, 0, hs);
    for (int n = 0; n < hs; n++) {
      h[n] = o[n] * tc[n];
    }
  }

  /**
   * emb[bucket]ᵀ W_x (with W_t for TIME_GATE), restricted to the embedding rows: the input
   * projection of a bucket, the same for every event of that bucket under these parameters, so it
   * is computed once, on the bucket's first event, from {@code x} (whose first E values hold the
   * bucket's embedding row). Threads that race on a first use compute identical arrays.
   */
  private float[] projection(int bucket, float[] x) {
    float[] pr = projections.get(bucket);
    if (pr == null) {
      pr = new float[zw];
      Vec.gemv(x, 0, emb, xRows, zw, pr);
      projections.set(bucket, pr);
    }
    return pr;
  }

  /**
   * The head: logits = b_o + hᵀW_o.
   *
   * @param h hidden state (H), not modified
   * @param logits receives K logits
   */
  public void head(float[] h, float[] logits) {
    System.arraycopy(headBias, 0, logits, 0, k);
    Vec.gemv(h, 0, hs, headRows, k, logits);
  }

  /**
   * The head's K logits for h in a new array, computed at the head's full width in the workspace
   * (whole vectors, no scalar remainder): the per-event path.
   *
   * @param h hidden state (H), not modified
   * @param s this thread's workspace
   * @return K logits
   */
  public float[] logits(float[] h, StepCache s) {
    final float[] y = s.logits;
    System.arraycopy(headBias, 0, y, 0, kw);
    Vec.gemv(h, 0, hs, headRows, kw, y);
    return java.util.Arrays.copyOf(y, k);
  }

  /**
   * Backward of the head: accumulates dW_o, db_o into {@code grad} and W_o·dLogits into {@code dh}
   * (both in place).
   *
   * @param h the hidden state the logits came from
   * @param dLogits dL/dlogits (K), not modified
   * @param dh accumulates dL/dh (H)
   * @param grad accumulates the dense gradient
   */
  public void headBackward(float[] h, float[] dLogits, float[] dh, CellGradient grad) {
    Vec.add(dLogits, grad.headBias, k);
    for (int j = 0; j < hs; j++) {
      final float hj = h[j];
      if (hj != 0f) {
        Vec.axpy(hj, dLogits, grad.headRows[j], k);
      }
    }
    Vec.gemv(dLogits, 0, k, headBackRows, hs, dh);
  }

  /**
   * Backward of one step (in place on the output arrays, documented hot-path kernel). Computes the
   * step's gate gradients (kept in the cache for {@link #accumulateWeightGradients}), accumulates
   * the bias, λ and time-gate vector gradients into {@code grad}, and writes dL/dh_{t−1},
   * dL/dc_{t−1} and the embedding-row gradient. Weight matrices are accumulated afterwards, for all
   * steps at once, by {@link #accumulateWeightGradients}.
   *
   * @param s the step's forward cache
   * @param cPrev c_{t−1} used in the forward step
   * @param dh dL/dh_t (total, including the head and the future), not modified
   * @param dc dL/dc_t from the future, not modified
   * @param dhPrev receives dL/dh_{t−1} (overwritten)
   * @param dcPrev receives dL/dc_{t−1} (overwritten)
   * @param grad accumulates the dense gradient
   * @param dEmb receives dL/d(embedding row of the step's bucket) (E, overwritten)
   */
  public void backward(
      StepCache s,
      float[] cPrev,
      float[] dh,
      float[] dc,
      float[] dhPrev,
      float[] dcPrev,
      CellGradient grad,
      float[] dEmb) {
    final float[] g = s.g;
    final float[] f = s.f;
    final float[] o = s.o;
    final float[] i = s.i;
    final float[] tc = s.tanhC;
    final float[] dzg = s.dzg;
    final float[] dzf = s.dzf;
    final float[] dzo = s.dzo;
    final float[] dzi = s.dzi;
    switch (mod) {
      case NONE -> {
        for (int n = 0; n < hs; n++) {
          final float dO = dh[n] * tc[n];
          final float dC = dc[n] + dh[n] * o[n] * (1f - tc[n] * tc[n]);
          dcPrev[n] = dC * f[n];
          dzg[n] = dC * i[n] * (1f - g[n] * g[n]);
          dzf[n] = dC * cPrev[n] * f[n] * (1f - f[n]);
          dzo[n] = dO * o[n] * (1f - o[n]);
          dzi[n] = dC * g[n] * i[n] * (1f - i[n]);
        }
      }
      case DECAY -> {
        final float[] d = s.decay;
        final float[] lam = grad.lambda;
        final float[] rd = rateDeriv;
        final float mphi = -s.phi;
        for (int n = 0; n < hs; n++) {
          final float dO = dh[n] * tc[n];
          final float dC = dc[n] + dh[n] * o[n] * (1f - tc[n] * tc[n]);
          final float dFeff = dC * cPrev[n];
          dcPrev[n] = dC * f[n] * d[n];
          dzg[n] = dC * i[n] * (1f - g[n] * g[n]);
          dzf[n] = dFeff * d[n] * f[n] * (1f - f[n]);
          dzo[n] = dO * o[n] * (1f - o[n]);
          dzi[n] = dC * g[n] * i[n] * (1f - i[n]);
          // d = exp(-softplus(λ) φ): ∂d/∂λ = -φ σ(λ) d
          lam[n] += dFeff * f[n] * mphi * rd[n] * d[n];
        }
      }
      case TIME_GATE -> {
        final float[] t = s.timeGate;
        final float[] u = s.inner;
        final float[] dzt = s.dzt;
        final float[] dwtt = grad.wtt;
        final float phi = s.phi;
        for (int n = 0; n < hs; n++) {
          final float dO = dh[n] * tc[n];
          final float dC = dc[n] + dh[n] * o[n] * (1f - tc[n] * tc[n]);
          dcPrev[n] = dC * f[n];
          dzg[n] = dC * i[n] * t[n] * (1f - g[n] * g[n]);
          dzf[n] = dC * cPrev[n] * f[n] * (1f - f[n]);
          dzo[n] = dO * o[n] * (1f - o[n]);
          dzi[n] = dC * t[n] * g[n] * i[n] * (1f - i[n]);
          final float dZt = dC * i[n] * g[n] * t[n] * (1f - t[n]);
          dzt[n] = dZt;
          dwtt[n] += dZt * u[n] * (1f - u[n]) * phi;
        }
      }
    }
    final float[] dz = s.dz;
    System.arraycopy(dzg, 0, dz, 0, hs);
    System.arraycopy(dzf, 0, dz, hs, hs);
    System.arraycopy(dzo, 0, dz, 2 * hs, hs);
    System.arraycopy(dzi, 0, dz, 3 * hs, hs);
    if (mod == TimeModulation.TIME_GATE) {
      System.arraycopy(s.dzt, 0, dz, g4, hs);
    }
    Vec.add(dz, grad.bias, zw);
    final float[] dhe = s.dhe;
    java.util.Arrays.fill(dhe, 0f);
    Vec.gemv(dz, 0, g4, backRows, hs + emb, dhe);
    System.arraycopy(dhe, 0, dhPrev, 0, hs);
    System.arraycopy(dhe, hs, dEmb, 0, emb);
    if (mod == TimeModulation.TIME_GATE) {
      final float[] de = s.de;
      java.util.Arrays.fill(de, 0f);
      Vec.gemv(s.dzt, 0, hs, timeBackRows, emb, de);
      Vec.add(de, dEmb, emb);
    }
  }

  /**
   * Accumulates the weight-matrix gradients of steps {@code [0, count)} after their {@link
   * #backward} calls: dW_x += Σ_t x_t ⊗ dz_t, dW_h += Σ_t h_{t−1} ⊗ dz_t, and for TIME_GATE dW_t +=
   * Σ_t x_t ⊗ dzt_t (one pass with W_x, as the input rows hold both; four steps per pass over a
   * gradient row).
   */
  public void accumulateWeightGradients(StepCache[] st, int count, CellGradient grad) {
    // row j of dW is Σ_t a_t[j] · dz_t: a product of the steps' dz with their a[j], four steps per
    // pass over the row
    final float[][] dz = new float[count][];
    final float[] a = new float[count];
    for (int t = 0; t < count; t++) {
      dz[t] = st[t].dz;
    }
    for (int j = 0; j < in; j++) {
      for (int t = 0; t < count; t++) {
        a[t] = st[t].x[j];
      }
      Vec.gemv(a, 0, count, dz, zw, grad.xRows[j]);
    }
    for (int j = 0; j < hs; j++) {
      for (int t = 0; t < count; t++) {
        a[t] = st[t].hPrev[j];
      }
      Vec.gemv(a, 0, count, dz, g4, grad.hRows[j]);
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
