package io.elapse.model.metrics;

/**
 * Metrics over the labels present for one task (or, for the overall row, pooled over all tasks'
 * present labels: micro-averaged). Every rate is NaN when its denominator is 0.
 *
 * @param count present labels seen
 * @param logLoss mean binary cross-entropy, probabilities clipped to [1e-15, 1 − 1e-15]
 * @param auc area under the ROC curve (label = target ≥ 0.5, ties count one half); NaN without both
 *     classes
 * @param ece expected calibration error, 15 equal-width bins over [0, 1] (Guo et al. 2017)
 * @param brier mean squared error (p − y)²
 * @param accuracy fraction with (p ≥ 0.5) == (y ≥ 0.5)
 * @param positiveRate mean target
 * @param meanProbability mean predicted probability
 * @param setCount present labels that came with a conformal set
 * @param setCoverage fraction of those whose set contains the label
 * @param averageSetSize mean number of labels in those sets (0, 1 or 2 each)
 * @param aucExact false when AUC came from a reservoir sample (more labels than its capacity)
 */
public record TaskMetrics(
    long count,
    double logLoss,
    double auc,
    double ece,
    double brier,
    double accuracy,
    double positiveRate,
    double meanProbability,
    long setCount,
    double setCoverage,
    double averageSetSize,
    boolean aucExact) {}
