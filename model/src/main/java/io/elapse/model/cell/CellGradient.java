package io.elapse.model.cell;

import io.elapse.model.ParameterLayout;
import io.elapse.model.ParameterLayout.Group;
import io.elapse.model.config.ModelConfig;
import io.elapse.model.config.TimeModulation;
import java.util.Arrays;

/**
 * The gradient of every dense (non-embedding) parameter as the cell kernels accumulate it: in their
 * compute layout (one array per weight row, see {@link TimeAwareLstmCell}), not the flat layout.
 * {@link #writeDense} converts. Mutable workspace; one per thread.
 */
public final class CellGradient {
  private final ParameterLayout layout;
  private final int hs;
  private final int g4;
  private final int k;
  final float[][] xRows; // [I][Z]: dW_x row (4H) then, for TIME_GATE, dW_t row (H)
  final float[][] hRows; // [H][4H]: dW_h
  final float[] bias; // [Z]: db then, for TIME_GATE, db_t
  final float[] lambda; // [H] DECAY, else null
  final float[] wtt; // [H] TIME_GATE, else null
  final float[][] headRows; // [H][K]: dW_o
  final float[] headBias; // [K]

  /** An all-zero gradient workspace for a configuration. */
  public CellGradient(ModelConfig config) {
    layout = ParameterLayout.of(config);
    hs = config.hiddenSize();
    g4 = 4 * hs;
    k = config.numTasks();
    int zw = TimeAwareLstmCell.zWidth(config);
    xRows = new float[config.inputSize()][zw];
    hRows = new float[hs][g4];
    bias = new float[zw];
    lambda = config.modulation() == TimeModulation.DECAY ? new float[hs] : null;
    wtt = config.modulation() == TimeModulation.TIME_GATE ? new float[hs] : null;
    headRows = new float[hs][k];
    headBias = new float[k];
  }

  /** Sets every value to zero. */
  public void clear() {
    for (float[] r : xRows) {
      Arrays.fill(r, 0f);
    }
    for (float[] r : hRows) {
      Arrays.fill(r, 0f);
    }
    Arrays.fill(bias, 0f);
    if (lambda != null) {
      Arrays.fill(lambda, 0f);
    }
    if (wtt != null) {
      Arrays.fill(wtt, 0f);
    }
    for (float[] r : headRows) {
      Arrays.fill(r, 0f);
    }
    Arrays.fill(headBias, 0f);
  }

  /**
   * Writes the gradient into {@code dense} in the flat layout (index 0 = {@link
   * ParameterLayout#denseOffset()}), overwriting every value.
   */
  public void writeDense(float[] dense) {
    if (dense.length != layout.denseSize()) {
      throw new IllegalArgumentException(
          "expected " + layout.denseSize() + " dense values, got " + dense.length);
    }
    final int d0 = layout.denseOffset();
    final boolean gate = wtt != null;
    final int oWx = layout.offset(Group.W_X) - d0;
    final int oTw = gate ? layout.offset(Group.TIME_W) - d0 : -1;
    for (int j = 0; j < xRows.length; j++) {
      System.arraycopy(xRows[j], 0, dense, oWx + j * g4, g4);
      if (gate) {
        System.arraycopy(xRows[j], g4, dense, oTw + j * hs, hs);
      }
    }
    final int oWh = layout.offset(Group.W_H) - d0;
    for (int j = 0; j < hs; j++) {
      System.arraycopy(hRows[j], 0, dense, oWh + j * g4, g4);
    }
    System.arraycopy(bias, 0, dense, layout.offset(Group.B) - d0, g4);
    if (lambda != null) {
      System.arraycopy(lambda, 0, dense, layout.offset(Group.DECAY_LAMBDA) - d0, hs);
    }
    if (gate) {
      System.arraycopy(wtt, 0, dense, layout.offset(Group.TIME_WTT) - d0, hs);
      System.arraycopy(bias, g4, dense, layout.offset(Group.TIME_B) - d0, hs);
    }
    final int oHw = layout.offset(Group.HEAD_W) - d0;
    for (int j = 0; j < hs; j++) {
      System.arraycopy(headRows[j], 0, dense, oHw + j * k, k);
    }
    System.arraycopy(headBias, 0, dense, layout.offset(Group.HEAD_B) - d0, k);
  }
}
