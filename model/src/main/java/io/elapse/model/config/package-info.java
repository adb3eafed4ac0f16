/**
 * Typed, validated configuration of the learner: {@link io.elapse.model.config.ModelConfig} lists
 * every hyperparameter with its default in one place.
 */
package io.elapse.model.config;
