package io.elapse.model.loss;

import io.elapse.model.config.LossConfig;

/**
 * Masked, weighted binary cross-entropy with logits, fused with its gradient.
 *
 * <p>Targets are a float[K] where NaN marks a missing label; present targets are soft labels in [0,
 * 1]. With z the logit, y the target, p_k the task's {@code posWeight}, w_k its {@code taskWeight}
 * and s the sample weight, the term of a present task is (PyTorch {@code
 * BCEWithLogitsLoss(pos_weight)} form)
 *
 * <pre>
 *   ℓ_k = w_k · s · [ p_k · y · softplus(−z) + (1 − y) · softplus(z) ]
 *   softplus(z) = max(z, 0) + log1p(exp(−|z|)),  softplus(−z) = softplus(z) − z
 *   ∂ℓ_k/∂z = w_k · s · [ p_k · y · (σ(z) − 1) + (1 − y) · σ(z) ]
 * </pre>
 *
 * and the loss is the mean over the n present tasks: L = (1/n) Σ_present ℓ_k (0 when n = 0, with a
 * zero gradient). Exact in double for any finite logit (no probability clipping, unlike DL4J's
 * {@code LossBinaryXENT}).
 */
public final class MaskedBceWithLogits {
  private MaskedBceWithLogits() {}

  /**
   * Loss and gradient of one example; allocates the gradient.
   *
   * @param logits K logits, not modified
   * @param targets K targets in [0,1], NaN = missing, not modified
   * @param sampleWeight the sample weight, finite and ≥ 0
   * @param config per-task weights (length K)
   * @return loss, number of present labels, dLoss/dlogits
   */
  public static LossResult compute(
      float[] logits, float[] targets, float sampleWeight, LossConfig config) {
    float[] d = new float[logits.length];
    double loss = lossAndGradient(logits, targets, sampleWeight, config, d);
    return new LossResult(loss, countPresent(targets), d);
  }

  /**
   * Hot-path kernel: writes dLoss/dlogits into {@code dLogitsOut} (overwritten) and returns the
   * loss.
   *
   * @throws IllegalArgumentException on a length mismatch, a target outside [0,1] or an invalid
   *     sample weight
   */
  public static double lossAndGradient(
      float[] logits, float[] targets, float sampleWeight, LossConfig config, float[] dLogitsOut) {
    int k = config.numTasks();
    if (logits.length != k || targets.length != k || dLogitsOut.length != k) {
      throw new IllegalArgumentException(
          "expected "
              + k
              + " logits, targets and gradient slots, got "
              + logits.length
              + ", "
              + targets.length
              + ", "
              + dLogitsOut.length);
    }
    if (!(sampleWeight >= 0) || Float.isInfinite(sampleWeight)) {
      throw new IllegalArgumentException(
          "expected a finite sample weight >= 0, got " + sampleWeight);
    }
    int n = countPresent(targets);
    if (n == 0) {
      java.util.Arrays.fill(dLogitsOut, 0f);
      return 0.0;
    }
    double inv = 1.0 / n;
    double sum = 0.0;
    for (int t = 0; t < k; t++) {
      float y = targets[t];
      if (Float.isNaN(y)) {
        dLogitsOut[t] = 0f;
        continue;
      }
      double z = logits[t];
      double w = (double) config.taskWeightAt(t) * sampleWeight;
      double pw = config.posWeightAt(t);
      double spPos = Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))); // softplus(z)
      double spNeg = spPos - z; // softplus(-z)
      double sig = sigmoid(z);
      sum += w * (pw * y * spNeg + (1 - y) * spPos);
      dLogitsOut[t] = (float) (inv * w * (pw * y * (sig - 1) + (1 - y) * sig));
    }
    return sum * inv;
  }

  /** Number of non-NaN targets, validating that each present target is in [0, 1]. */
  public static int countPresent(float[] targets) {
    int n = 0;
    for (int t = 0; t < targets.length; t++) {
      float y = targets[t];
      if (Float.isNaN(y)) {
        continue;
      }
      if (!(y >= 0f && y <= 1f)) {
        throw new IllegalArgumentException(
            "expected target in [0, 1] or NaN (missing), got " + y + " for task " + t);
      }
      n++;
    }
    return n;
  }

  private static double sigmoid(double z) {
    if (z >= 0) {
      return 1.0 / (1.0 + Math.exp(-z));
    }
    double e = Math.exp(z);
    return e / (1.0 + e);
  }
}
