/**
 * Truncated backpropagation through time from an entity's window ({@link
 * io.elapse.model.train.TbpttTrainer}), and the gradient types that travel to the coordinator
 * (dense for everything but the embedding, sparse embedding rows).
 */
package io.elapse.model.train;
