/**
 * The keyed learner: per-entity LSTM state in Flink keyed state, event-time ordering, the elapsed
 * time join, predictions, and masked updates from partial labels. Glue only: every number comes
 * from {@code io.elapse.model}.
 */
package io.elapse.pipeline.learner;
