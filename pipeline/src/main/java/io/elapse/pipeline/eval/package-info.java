/**
 * Prequential evaluation from the outside: join any predictions topic with the labels topic by
 * (entityId, eventId) and compute the model's metrics ({@code io.elapse.model.metrics}).
 */
package io.elapse.pipeline.eval;
