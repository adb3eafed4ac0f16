/**
 * The decode stage: raw Kafka records to validated {@code EntityInput}s, anything unusable to dead
 * letters with its origin and a reason.
 */
package io.elapse.pipeline.decode;
