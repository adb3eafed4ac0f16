package io.elapse.model.config;

/** How the elapsed time φ(Δt) modulates the LSTM cell (see {@code TimeAwareLstmCell}). */
public enum TimeModulation {
  /** Plain LSTM, numerically the same as DL4J's {@code LSTM} layer; φ(Δt) is only an input. */
  NONE,
  /** Forget gate scaled by a learned per-unit decay: f' = f · exp(−softplus(λ) · φ(Δt)). */
  DECAY,
  /** Time-LSTM1 time gate (Zhu et al., IJCAI 2017) modulating the cell update. */
  TIME_GATE
}
