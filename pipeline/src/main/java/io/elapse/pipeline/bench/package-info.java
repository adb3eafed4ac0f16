/**
 * The pipeline benchmark behind {@code ./elapse bench pipeline}: one in-process broker, one
 * pre-produced input, a passthrough baseline job and the full Elapse job measured on it.
 */
package io.elapse.pipeline.bench;
