package io.elapse.pipeline;

import io.elapse.avro.ConformalSet;
import io.elapse.model.calibration.PredictionSet;
import java.util.Arrays;

/**
 * The Avro {@link ConformalSet} of the model's {@link PredictionSet} and back: the two enums have
 * the same names, mapped once by ordinal so the per-prediction paths need no name lookup.
 */
public final class ConformalSets {
  private static final ConformalSet[] TO_AVRO =
      Arrays.stream(PredictionSet.values())
          .map(s -> ConformalSet.valueOf(s.name()))
          .toArray(ConformalSet[]::new);
  private static final PredictionSet[] FROM_AVRO =
      Arrays.stream(ConformalSet.values())
          .map(c -> PredictionSet.valueOf(c.name()))
          .toArray(PredictionSet[]::new);

  private ConformalSets() {}

  /** The Avro set written for {@code set}. */
  public static ConformalSet toAvro(PredictionSet set) {
    return TO_AVRO[set.ordinal()];
  }

  /** The model's set that {@code set} was written for. */
  public static PredictionSet fromAvro(ConformalSet set) {
    return FROM_AVRO[set.ordinal()];
  }
}
