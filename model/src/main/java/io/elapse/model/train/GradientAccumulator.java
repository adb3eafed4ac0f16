package io.elapse.model.train;

import io.elapse.model.ParameterLayout;
import java.util.Arrays;

/**
 * Sums gradients (and their losses) over a small batch before they are sent to the coordinator.
 * Mutable, not thread-safe; {@link #sum()} and {@link #mean()} return immutable snapshots.
 */
public final class GradientAccumulator {
  private final ParameterLayout layout;
  private final int embeddingDim;
  private final float[] dense;
  private final float[] embedding;
  private final boolean[] touched;
  private int[] touchedRows = new int[16];
  private int touchedCount;
  private int count;
  private double lossSum;
  private long labelsPresent;

  /** An empty accumulator for a layout. */
  public GradientAccumulator(ParameterLayout layout) {
    this.layout = layout;
    this.embeddingDim = layout.segment(ParameterLayout.Group.EMBEDDING).cols();
    this.dense = new float[layout.denseSize()];
    this.embedding = new float[layout.denseOffset()];
    this.touched = new boolean[layout.denseOffset() / embeddingDim];
  }

  /** Adds a training result: its gradient, loss and label count. */
  public void add(TrainingResult result) {
    add(result.gradient());
    lossSum += result.loss();
    labelsPresent += result.labelsPresent();
  }

  /** Adds a gradient (count + 1, loss unchanged). */
  public void add(Gradient g) {
    if (g.denseSize() != dense.length || g.embeddingDim() != embeddingDim) {
      throw new IllegalArgumentException(
          "expected a gradient with "
              + dense.length
              + " dense values and E="
              + embeddingDim
              + ", got "
              + g.denseSize()
              + " and E="
              + g.embeddingDim());
    }
    addValues(g.denseArray(), g.rows(), g.rowValues());
    count++;
  }

  /**
   * Adds one pass's gradient given as arrays ({@code dense} null for a zero gradient, then the rows
   * are ignored) with its loss and present labels: {@link TbpttTrainer#accumulate}'s way in, the
   * same sums as {@link #add(TrainingResult)}.
   */
  void add(double loss, int present, float[] dense, int[] rows, float[] vals) {
    if (dense != null) {
      addValues(dense, rows, vals);
    }
    count++;
    lossSum += loss;
    labelsPresent += present;
  }

  private void addValues(float[] gd, int[] rows, float[] vals) {
    for (int q = 0; q < dense.length; q++) {
      dense[q] += gd[q];
    }
    for (int i = 0; i < rows.length; i++) {
      int r = rows[i];
      if (!touched[r]) {
        touched[r] = true;
        if (touchedCount == touchedRows.length) {
          touchedRows = Arrays.copyOf(touchedRows, touchedCount * 2);
        }
        touchedRows[touchedCount++] = r;
      }
      int base = r * embeddingDim;
      for (int e = 0; e < embeddingDim; e++) {
        embedding[base + e] += vals[i * embeddingDim + e];
      }
    }
  }

  /** Number of gradients added since the last reset. */
  public int count() {
    return count;
  }

  /** Sum of the losses added. */
  public double lossSum() {
    return lossSum;
  }

  /** Sum of the present-label counts added. */
  public long labelsPresent() {
    return labelsPresent;
  }

  /** The summed gradient. */
  public Gradient sum() {
    return snapshot(1f);
  }

  /** The mean gradient (sum / count); zero when empty. */
  public Gradient mean() {
    return snapshot(count == 0 ? 0f : 1f / count);
  }

  private Gradient snapshot(float factor) {
    int[] rows = Arrays.copyOf(touchedRows, touchedCount);
    Arrays.sort(rows);
    float[] vals = new float[rows.length * embeddingDim];
    for (int i = 0; i < rows.length; i++) {
      for (int e = 0; e < embeddingDim; e++) {
        vals[i * embeddingDim + e] = embedding[rows[i] * embeddingDim + e] * factor;
      }
    }
    float[] d = dense.clone();
    if (factor != 1f) {
      for (int q = 0; q < d.length; q++) {
        d[q] *= factor;
      }
    }
    return new Gradient(embeddingDim, d, rows, vals, true);
  }

  /** Clears everything. */
  public void reset() {
    Arrays.fill(dense, 0f);
    for (int i = 0; i < touchedCount; i++) {
      int r = touchedRows[i];
      touched[r] = false;
      Arrays.fill(embedding, r * embeddingDim, (r + 1) * embeddingDim, 0f);
    }
    touchedCount = 0;
    count = 0;
    lossSum = 0;
    labelsPresent = 0;
  }

  /** The layout this accumulator is sized for. */
  public ParameterLayout layout() {
    return layout;
  }
}
