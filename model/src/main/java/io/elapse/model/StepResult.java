package io.elapse.model;

/**
 * What one forward step returns: the sequence number given to the event and the K raw logits.
 *
 * @param sequence the event's sequence number within its entity (0 for the first event)
 * @param logits K raw logits; the probability of task k is sigmoid(logits[k]). Owned by the caller.
 */
public record StepResult(long sequence, float[] logits) {}
