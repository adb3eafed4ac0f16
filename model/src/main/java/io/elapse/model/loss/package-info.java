/** The fused, masked, weighted binary cross-entropy with logits for K independent tasks. */
package io.elapse.model.loss;
