/**
 * Bytes in and out of the model: the versioned, checksummed parameter encoding {@link
 * io.elapse.model.io.ParameterCodec} ({@code elapse-params-v1}), {@code .npy} export for NumPy and
 * ND4J users ({@link io.elapse.model.io.NpyWriter}), and HMAC-SHA256 signing of model updates
 * ({@link io.elapse.model.io.Hmac}). Plain Java.
 */
package io.elapse.model.io;
