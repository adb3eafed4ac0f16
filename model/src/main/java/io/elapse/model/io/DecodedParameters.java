package io.elapse.model.io;

/**
 * A decoded parameter vector. The array belongs to the caller (a fresh copy per decode); record
 * equality compares it by reference.
 *
 * @param layoutName the name of the flat layout the values follow
 * @param formatVersion the encoding version the bytes had
 * @param params the values
 */
public record DecodedParameters(String layoutName, int formatVersion, float[] params) {}
