package io.elapse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.ConformalSet;
import io.elapse.model.calibration.PredictionSet;
import org.junit.jupiter.api.Test;

class ConformalSetsTest {

  @Test
  void everySetMapsToTheAvroSetOfTheSameNameAndBack() {
    assertThat(ConformalSet.values()).hasSameSizeAs(PredictionSet.values());
    for (PredictionSet s : PredictionSet.values()) {
      assertThat(ConformalSets.toAvro(s).name()).isEqualTo(s.name());
      assertThat(ConformalSets.fromAvro(ConformalSets.toAvro(s))).isSameAs(s);
    }
  }
}
