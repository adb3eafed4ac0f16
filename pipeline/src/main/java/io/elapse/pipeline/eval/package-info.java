/**
 * Prequential evaluation: join a predictions stream with the labels by (entityId, eventId) and
 * compute the model's metrics ({@code io.elapse.model.metrics}). {@link
 * io.elapse.pipeline.eval.Evaluator} is the Flink evaluator (inside the main job, or standalone
 * behind {@code ./elapse evaluate}): a keyed {@link io.elapse.pipeline.eval.EvaluationJoinOperator}
 * and a parallelism-1 {@link io.elapse.pipeline.eval.EvaluationReporter} publishing {@code
 * Evaluation} reports and gauges. {@link io.elapse.pipeline.eval.LiveEvaluator} does the same in
 * one process with a plain consumer (the demo).
 */
package io.elapse.pipeline.eval;
