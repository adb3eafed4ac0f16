package io.elapse.model.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NpyWriterTest {

  @TempDir Path dir;

  @Test
  void nd4jReadsAMatrix() throws Exception {
    float[] data = new float[6 * 7];
    for (int i = 0; i < data.length; i++) {
      data[i] = i * 0.5f - 3f;
    }
    Path file = dir.resolve("w.npy");
    NpyWriter.write(file, data, 6, 7);
    INDArray read = Nd4j.createFromNpyFile(file.toFile());
    assertThat(read.shape()).containsExactly(6, 7);
    assertThat(read.dataType()).isEqualTo(DataType.FLOAT);
    assertThat(read.getFloat(2, 3)).isEqualTo(data[2 * 7 + 3]);
    assertThat(read.dup('c').reshape(-1).toFloatVector()).containsExactly(data);
  }

  @Test
  void nd4jReadsAVector() throws Exception {
    float[] data = {1f, -2f, 3.25f};
    Path file = dir.resolve("b.npy");
    NpyWriter.write(file, data, 3);
    INDArray read = Nd4j.createFromNpyFile(file.toFile());
    assertThat(read.length()).isEqualTo(3);
    assertThat(read.toFloatVector()).containsExactly(data);
  }

  @Test
  void headerIsVersionOneAndAligned() throws Exception {
    byte[] bytes = NpyWriter.toBytes(new float[] {1f, 2f}, 2);
    assertThat(bytes[0]).isEqualTo((byte) 0x93);
    assertThat(new String(bytes, 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
    assertThat(bytes[6]).isEqualTo((byte) 1);
    assertThat(bytes[7]).isEqualTo((byte) 0);
    int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
    assertThat((10 + headerLength) % 64).isZero();
    String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
    assertThat(header).contains("'descr': '<f4'", "'shape': (2,)").endsWith("\n");
    assertThat(bytes.length).isEqualTo(10 + headerLength + 8);
    Files.write(dir.resolve("x.npy"), bytes);
  }

  @Test
  void rejectsShapeMismatch() {
    assertThatThrownBy(() -> NpyWriter.toBytes(new float[5], 2, 3))
        .hasMessageContaining("expected 6 values for shape (2, 3), got 5");
  }
}
