/**
 * Prequential (test-then-train) evaluation metrics for masked multi-label predictions: {@link
 * io.elapse.model.metrics.PrequentialMetrics} accumulates (probability, target, conformal set)
 * triples per task and reports {@link io.elapse.model.metrics.MetricsReport}s with log loss, AUC,
 * ECE, Brier, accuracy, set coverage and size, positive rate, and recall/precision at k. Plain
 * Java; the evaluator in {@code pipeline/} calls it.
 */
package io.elapse.model.metrics;
