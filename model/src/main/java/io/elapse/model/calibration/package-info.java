/**
 * Confidence math on plain doubles: per-task online Platt scaling ({@link
 * io.elapse.model.calibration.PlattScaler}), adaptive conformal prediction sets ({@link
 * io.elapse.model.calibration.AdaptiveConformal}, Gibbs and Candès 2021) and the overall confidence
 * score ({@link io.elapse.model.calibration.Confidence}).
 *
 * <p>Lifecycle in Elapse: the coordinator owns one {@code PlattScaler} and one {@code
 * AdaptiveConformal}, feeds them prequential (logit, outcome) pairs, and publishes their per-task
 * state (Platt a, b; conformal alpha_t and threshold) with every model version. Learners apply the
 * published values with the static helpers {@link
 * io.elapse.model.calibration.PlattScaler#apply(double, double, double)} and {@link
 * io.elapse.model.calibration.PredictionSet#forThreshold(double, double)}.
 */
package io.elapse.model.calibration;
