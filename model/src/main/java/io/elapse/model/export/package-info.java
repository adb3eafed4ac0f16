/**
 * Exports of a model for other consumers: one NumPy {@code .npy} file per parameter group (Python,
 * ND4J), and a DL4J {@code MultiLayerNetwork} for a {@code NONE} model.
 */
package io.elapse.model.export;
