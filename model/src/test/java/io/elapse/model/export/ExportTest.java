package io.elapse.model.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elapse.model.EntityState;
import io.elapse.model.EventInput;
import io.elapse.model.LstmModel;
import io.elapse.model.ParameterLayout;
import io.elapse.model.config.ModelConfig;
import io.elapse.model.config.TimeModulation;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ExportTest {
  private static ModelConfig cfg(TimeModulation mod) {
    return ModelConfig.builder()
        .modulation(mod)
        .hiddenSize(6)
        .embeddingDim(3)
        .vocabularyBuckets(11)
        .numFeatures(1)
        .numTasks(3)
        .windowSize(5)
        .build();
  }

  @Test
  void npyFilesHoldEveryGroupAndNd4jReadsThemBack(@TempDir Path dir) throws Exception {
    for (TimeModulation mod : TimeModulation.values()) {
      LstmModel m = LstmModel.of(cfg(mod), LstmModel.initialParameters(cfg(mod), 3));
      Path sub = dir.resolve(mod.name());
      List<Path> files = NpyExport.write(m, sub);
      assertThat(files).hasSize(m.layout().segments().size());
      for (int i = 0; i < files.size(); i++) {
        ParameterLayout.Segment s = m.layout().segments().get(i);
        assertThat(files.get(i).getFileName().toString())
            .isEqualTo(s.group().name().toLowerCase(java.util.Locale.ROOT) + ".npy");
        INDArray a = Nd4j.createFromNpyFile(files.get(i).toFile());
        assertThat(a.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(a.length()).isEqualTo(s.length());
        if (s.rows() > 1) {
          assertThat(a.shape()).containsExactly(s.rows(), s.cols());
        }
        INDArray flat = a.reshape(a.length());
        for (int q = 0; q < s.length(); q++) {
          assertThat(flat.getFloat(q)).isEqualTo(m.parameter(s.offset() + q));
        }
      }
    }
  }

  @Test
  void dl4jNetworkSavedAndRestoredGivesTheSameOutputs(@TempDir Path dir) throws Exception {
    ModelConfig c = cfg(TimeModulation.NONE);
    LstmModel m = LstmModel.of(c, LstmModel.initialParameters(c, 3));
    File f = dir.resolve("elapse-none.zip").toFile();
    Dl4jExport.write(m, f);
    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(f);
    List<EventInput> events = new ArrayList<>();
    EntityState s = EntityState.initial(c);
    List<float[]> logits = new ArrayList<>();
    for (int t = 0; t < 5; t++) {
      EventInput in = m.input("t" + t % 3, new float[] {t * 0.5f}, t == 0 ? null : 5_000L * t);
      events.add(in);
      logits.add(s.step(m, in).logits());
    }
    INDArray out = restored.output(Dl4jExport.inputFor(m, events, DataType.FLOAT));
    for (int t = 0; t < 5; t++) {
      for (int k = 0; k < 3; k++) {
        double p = 1 / (1 + Math.exp(-logits.get(t)[k]));
        assertThat(Math.abs(out.getDouble(0, k, t) - p)).isLessThan(1e-5);
      }
    }
  }

  @Test
  void dl4jExportRefusesTimeModulatedModels() {
    ModelConfig c = cfg(TimeModulation.DECAY);
    LstmModel m = LstmModel.of(c, LstmModel.initialParameters(c, 3));
    assertThatThrownBy(() -> Dl4jExport.toNetwork(m, DataType.FLOAT))
        .hasMessage("expected modulation NONE for a DL4J export, got DECAY");
  }
}
