/**
 * The time-aware LSTM learner as plain Java on {@code float[]}: the model ({@link
 * io.elapse.model.LstmModel}), its flat parameter layout ({@link io.elapse.model.ParameterLayout})
 * and the compact per-entity state ({@link io.elapse.model.EntityState}) a streaming job keeps. No
 * Flink, no Kafka.
 */
package io.elapse.model;
