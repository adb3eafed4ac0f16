package io.elapse.model;

/**
 * An LSTM state (h, c), e.g. the state at the start of an entity's window.
 *
 * @param h hidden state (H), owned by the caller
 * @param c cell state (H), owned by the caller
 */
public record StateSnapshot(float[] h, float[] c) {}
