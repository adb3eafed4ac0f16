package io.elapse.model.train;

import io.elapse.model.EntityState;
import io.elapse.model.EventInput;
import io.elapse.model.LstmModel;
import io.elapse.model.ParameterLayout;
import io.elapse.model.ParameterLayout.Group;
import io.elapse.model.cell.CellGradient;
import io.elapse.model.cell.StepCache;
import io.elapse.model.cell.TimeAwareLstmCell;
import io.elapse.model.config.LossConfig;
import io.elapse.model.config.ModelConfig;
import io.elapse.model.loss.MaskedBceWithLogits;
import java.util.Arrays;
import java.util.List;

/**
 * Truncated backpropagation through time (Williams &amp; Peng 1990) over an entity's window.
 *
 * <p>{@link #gradient} recomputes the forward pass from the ring's start state over the ring's
 * events (up to the last labelled one) with the current parameters, then backpropagates the masked
 * loss of every labelled position in one backward pass to the ring start. The loss is
 *
 * <pre>
 *   L = Σ_labels [ MaskedBce(logits_t, y, s) + l2Activity · ‖h_t‖² ]  +  l2Weights · Σ_W w²
 * </pre>
 *
 * where the activity term counts only labels with ≥ 1 present target, and the weight term (over
 * W_x, W_h, W_t and W_o, not biases or embedding) only when some target is present, so an
 * all-missing call gives exactly zero loss and gradient. The gradient is clipped to {@code
 * gradClipNorm} (global norm) when that is &gt; 0.
 *
 * <p>Lifecycle: one trainer per thread (it owns a preallocated workspace); it never mutates the
 * model, the state or the labels.
 */
public final class TbpttTrainer {
  private final ModelConfig config;
  private final ParameterLayout layout;
  private final int hs;
  private final int emb;
  private final int k;
  private final StepCache[] caches;
  private final float[] startH;
  private final float[] startC;
  private final float[] dh;
  private final float[] dc;
  private final float[] dhPrev;
  private final float[] dcPrev;
  private final float[] logits;
  private final float[] dLogits;
  private final CellGradient grad;
  private final float[] dEmb;
  private final int[] rowIds;
  private final float[] rowVals;
  private final EventInput[] events;
  private final float[] denseScratch;

  /** A trainer with a workspace sized for the configuration. */
  public TbpttTrainer(ModelConfig config) {
    this.config = config;
    this.layout = ParameterLayout.of(config);
    hs = config.hiddenSize();
    emb = config.embeddingDim();
    k = config.numTasks();
    int w = config.windowSize();
    caches = new StepCache[w];
    for (int i = 0; i < w; i++) {
      caches[i] = new StepCache(config);
    }
    startH = new float[hs];
    startC = new float[hs];
    dh = new float[hs];
    dc = new float[hs];
    dhPrev = new float[hs];
    dcPrev = new float[hs];
    logits = new float[k];
    dLogits = new float[k];
    grad = new CellGradient(config);
    dEmb = new float[emb];
    rowIds = new int[w];
    rowVals = new float[w * emb];
    events = new EventInput[w];
    denseScratch = new float[layout.denseSize()];
  }

  /**
   * Loss and gradient for labelled positions of an entity's window.
   *
   * @param model the current model (same configuration as this trainer)
   * @param state the entity's state (not modified)
   * @param labels labelled positions, each in the window (not modified)
   * @return loss, number of present labels and the gradient
   * @throws IllegalArgumentException if a label's sequence is not in the window, its targets do not
   *     have K values or a target is outside [0,1]
   */
  public TrainingResult gradient(LstmModel model, EntityState state, List<LabeledPosition> labels) {
    Pass pass = pass(model, state, labels, new float[layout.denseSize()]);
    Gradient g =
        pass.dense == null
            ? Gradient.zero(layout)
            : new Gradient(emb, pass.dense, pass.rows, pass.vals, true);
    return new TrainingResult(pass.loss, pass.present, g, pass.labelLogits);
  }

  /**
   * The same pass as {@link #gradient}, its (clipped) gradient added to {@code into} as {@link
   * GradientAccumulator#add(TrainingResult)} would add it, bit for bit, without allocating a dense
   * gradient: the update of the learner's hot path.
   *
   * @param model the current model (same configuration as this trainer)
   * @param state the entity's state (not modified)
   * @param labels labelled positions, each in the window (not modified)
   * @param into receives the gradient, the loss and the number of present labels
   * @return the loss, the number of present labels and the logits at each label's position
   * @throws IllegalArgumentException as {@link #gradient}, or if {@code into} has another layout
   */
  public TrainingSummary accumulate(
      LstmModel model, EntityState state, List<LabeledPosition> labels, GradientAccumulator into) {
    ParameterLayout l = into.layout();
    if (l.size() != layout.size()
        || l.denseOffset() != layout.denseOffset()
        || l.denseSize() != layout.denseSize()) {
      throw new IllegalArgumentException(
          "expected an accumulator with the trainer's layout ("
              + layout.size()
              + " parameters, "
              + layout.denseSize()
              + " dense), got "
              + l.size()
              + " and "
              + l.denseSize());
    }
    Pass pass = pass(model, state, labels, denseScratch);
    into.add(pass.loss, pass.present, pass.dense, pass.rows, pass.vals);
    return new TrainingSummary(pass.loss, pass.present, pass.labelLogits);
  }

  /**
   * What one pass computed: {@code dense} is the array the caller passed in, or null when no label
   * had a present target (a zero gradient, and no rows).
   */
  private record Pass(
      double loss, int present, float[] dense, int[] rows, float[] vals, float[][] labelLogits) {}

  private Pass pass(
      LstmModel model, EntityState state, List<LabeledPosition> labels, float[] dense) {
    ModelConfig mc = model.config();
    if (!mc.equals(config)) {
      throw new IllegalArgumentException(
          "expected a model with the trainer's configuration " + config + ", got " + mc);
    }
    long oldest = state.sequenceOfOldest();
    int last = -1;
    for (LabeledPosition l : labels) {
      if (!state.inWindow(l.sequence())) {
        throw new IllegalArgumentException(
            "expected label sequence in window ["
                + oldest
                + ", "
                + state.eventCount()
                + "), got "
                + l.sequence());
      }
      if (l.targetsView().length != k) {
        throw new IllegalArgumentException(
            "expected " + k + " targets, got " + l.targetsView().length);
      }
      MaskedBceWithLogits.countPresent(l.targetsView());
      last = Math.max(last, (int) (l.sequence() - oldest));
    }
    if (last < 0) {
      return new Pass(0.0, 0, null, null, null, new float[0][]);
    }
    float[][] labelLogits = new float[labels.size()][];
    TimeAwareLstmCell cell = model.cell();
    LossConfig lossConfig = mc.loss();
    state.computeWindowStart(model, caches[0], startH, startC);
    for (int p = 0; p <= last; p++) {
      events[p] = state.eventAtPosition(p);
      cell.forward(
          events[p],
          p == 0 ? startH : caches[p - 1].h(),
          p == 0 ? startC : caches[p - 1].c(),
          caches[p]);
    }
    grad.clear();
    double loss = 0;
    int present = 0;
    int nRows = 0;
    Arrays.fill(dh, 0f);
    Arrays.fill(dc, 0f);
    final float l2a = lossConfig.l2Activity();
    for (int p = last; p >= 0; p--) {
      float[] h = caches[p].h();
      long seq = oldest + p;
      boolean headDone = false;
      for (int li = 0; li < labels.size(); li++) {
        LabeledPosition l = labels.get(li);
        if (l.sequence() != seq) {
          continue;
        }
        if (!headDone) {
          cell.head(h, logits);
          headDone = true;
        }
        labelLogits[li] = logits.clone();
        float[] y = l.targetsView();
        int n = MaskedBceWithLogits.countPresent(y);
        if (n == 0) {
          continue;
        }
        loss +=
            MaskedBceWithLogits.lossAndGradient(logits, y, l.sampleWeight(), lossConfig, dLogits);
        present += n;
        cell.headBackward(h, dLogits, dh, grad);
        if (l2a > 0) {
          double sq = 0;
          for (int j = 0; j < hs; j++) {
            sq += (double) h[j] * h[j];
            dh[j] += 2f * l2a * h[j];
          }
          loss += l2a * sq;
        }
      }
      cell.backward(
          caches[p], p == 0 ? startC : caches[p - 1].c(), dh, dc, dhPrev, dcPrev, grad, dEmb);
      int bucket = events[p].bucket();
      int r = 0;
      while (r < nRows && rowIds[r] != bucket) {
        r++;
      }
      if (r == nRows) {
        rowIds[r] = bucket;
        Arrays.fill(rowVals, r * emb, (r + 1) * emb, 0f);
        nRows++;
      }
      for (int e = 0; e < emb; e++) {
        rowVals[r * emb + e] += dEmb[e];
      }
      System.arraycopy(dhPrev, 0, dh, 0, hs);
      System.arraycopy(dcPrev, 0, dc, 0, hs);
    }
    if (present == 0) {
      Arrays.fill(events, null);
      return new Pass(0.0, 0, null, null, null, labelLogits);
    }
    cell.accumulateWeightGradients(caches, last + 1, grad);
    grad.writeDense(dense);
    float l2w = lossConfig.l2Weights();
    if (l2w > 0) {
      for (Group g : new Group[] {Group.W_X, Group.W_H, Group.TIME_W, Group.HEAD_W}) {
        if (!layout.has(g)) {
          continue;
        }
        int off = layout.offset(g);
        int len = layout.length(g);
        int d0 = off - layout.denseOffset();
        double sq = 0;
        for (int q = 0; q < len; q++) {
          float w = model.parameter(off + q);
          sq += (double) w * w;
          dense[d0 + q] += 2f * l2w * w;
        }
        loss += l2w * sq;
      }
    }
    Arrays.fill(events, null);
    // sparse rows ascending
    Integer[] order = new Integer[nRows];
    for (int i = 0; i < nRows; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(rowIds[a], rowIds[b]));
    int[] rows = new int[nRows];
    float[] vals = new float[nRows * emb];
    for (int i = 0; i < nRows; i++) {
      rows[i] = rowIds[order[i]];
      System.arraycopy(rowVals, order[i] * emb, vals, i * emb, emb);
    }
    // the same scaling as Gradient.clipped, without a second copy
    Gradient.clipInPlace(dense, vals, config.gradClipNorm());
    return new Pass(loss, present, dense, rows, vals, labelLogits);
  }

  /** The configuration this trainer is sized for. */
  public ModelConfig config() {
    return config;
  }
}
