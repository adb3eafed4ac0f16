package io.elapse.model.calibration;

import java.util.ArrayList;
import java.util.List;

/**
 * One task's published calibration and conformal state, field for field the Avro {@code
 * ModelUpdate.TaskCalibration} record (without the task name): what a learner needs to turn a raw
 * logit into a calibrated probability and a prediction set.
 *
 * @param plattScale Platt slope a
 * @param plattBias Platt intercept b
 * @param conformalAlpha target miscoverage α
 * @param conformalAlphaT current adaptive level α_t
 * @param conformalThreshold current threshold: label y is in the set when 1 − p̂(y) ≤ threshold
 * @param observations labelled pairs the Platt scaler has learned from
 */
public record TaskCalibrationState(
    double plattScale,
    double plattBias,
    double conformalAlpha,
    double conformalAlphaT,
    double conformalThreshold,
    long observations) {

  /** Validates that every value is finite and in range. */
  public TaskCalibrationState {
    if (!Double.isFinite(plattScale) || !Double.isFinite(plattBias)) {
      throw new IllegalArgumentException(
          "expected finite Platt parameters, got a=" + plattScale + ", b=" + plattBias);
    }
    if (!(conformalAlpha > 0 && conformalAlpha < 1)) {
      throw new IllegalArgumentException("expected alpha in (0,1), got " + conformalAlpha);
    }
    if (!Double.isFinite(conformalAlphaT) || !Double.isFinite(conformalThreshold)) {
      throw new IllegalArgumentException(
          "expected finite alpha_t and threshold, got "
              + conformalAlphaT
              + " and "
              + conformalThreshold);
    }
    if (observations < 0) {
      throw new IllegalArgumentException("expected observations >= 0, got " + observations);
    }
  }

  /** The uncalibrated start: identity Platt map, α_t = α, full sets. */
  public static TaskCalibrationState initial(double alpha) {
    return new TaskCalibrationState(1.0, 0.0, alpha, alpha, AdaptiveConformal.FULL_THRESHOLD, 0);
  }

  /** The state of every task, in task order; both must have the same number of tasks. */
  public static List<TaskCalibrationState> publish(PlattScaler platt, AdaptiveConformal conformal) {
    if (platt.tasks() != conformal.tasks()) {
      throw new IllegalArgumentException(
          "expected as many conformal tasks as Platt tasks ("
              + platt.tasks()
              + "), got "
              + conformal.tasks());
    }
    List<TaskCalibrationState> out = new ArrayList<>(platt.tasks());
    for (int t = 0; t < platt.tasks(); t++) {
      out.add(
          new TaskCalibrationState(
              platt.scale(t),
              platt.bias(t),
              conformal.alpha(),
              conformal.alphaT(t),
              conformal.threshold(t),
              platt.count(t)));
    }
    return out;
  }

  /** The calibrated probability of label 1 for a raw logit. */
  public double probability(double logit) {
    return PlattScaler.apply(plattScale, plattBias, logit);
  }

  /** The conformal set for a calibrated probability. */
  public PredictionSet set(double probability) {
    return PredictionSet.forThreshold(conformalThreshold, probability);
  }
}
