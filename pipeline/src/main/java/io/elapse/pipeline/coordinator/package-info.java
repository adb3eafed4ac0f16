/**
 * The coordinator (parallelism 1): applies gradient batches with the optimizer, fits calibration
 * and conformal state, versions the model as (epoch, step) and publishes sealed model updates.
 */
package io.elapse.pipeline.coordinator;
