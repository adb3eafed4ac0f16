package io.elapse.pipeline.coordinator;

import io.elapse.avro.ModelUpdate;
import java.io.Serializable;
import java.util.Optional;

/** Where a coordinator without a checkpoint looks for a model to start from. */
@FunctionalInterface
public interface ModelWarmStart extends Serializable {

  /** The newest verified model update available, if any. */
  Optional<ModelUpdate> latest() throws Exception;

  /** No warm start: cold start from the seeded initialization. */
  static ModelWarmStart none() {
    return Optional::empty;
  }
}
