package io.elapse.model.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.model.optim.Optimizer;
import io.elapse.model.optim.OptimizerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Checked-in bytes of version 1 of the parameter encoding and the optimizer snapshot: today's code
 * must still read them. Regenerate (only when a format version is added, never to make this pass)
 * with {@link #main}.
 */
class CompatibilityFixturesTest {

  static final String PARAMS = "/io/elapse/model/io/params-v1.bin";
  static final String ADAM = "/io/elapse/model/optim/adam-snapshot-v1.bin";

  static float[] fixtureParams() {
    float[] p = new float[16];
    for (int i = 0; i < p.length; i++) {
      p[i] = i * 0.125f - 1f;
    }
    return p;
  }

  static Optimizer fixtureAdam() {
    Optimizer adam = OptimizerConfig.adam(0.01).create(16);
    float[] p = fixtureParams();
    float[] g = new float[16];
    for (int s = 0; s < 3; s++) {
      for (int i = 0; i < 16; i++) {
        g[i] = (i - 8) * 0.1f + s;
      }
      adam.step(p, g);
    }
    return adam;
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = CompatibilityFixturesTest.class.getResourceAsStream(name)) {
      assertThat(in).as("fixture %s", name).isNotNull();
      return in.readAllBytes();
    }
  }

  @Test
  void readsVersionOneParameters() throws IOException {
    DecodedParameters d = ParameterCodec.decode(resource(PARAMS));
    assertThat(d.formatVersion()).isEqualTo(1);
    assertThat(d.layoutName()).isEqualTo("fixture-layout/v1");
    assertThat(d.params()).containsExactly(fixtureParams());
  }

  @Test
  void restoresVersionOneAdamSnapshot() throws IOException {
    Optimizer restored = OptimizerConfig.adam(0.01).create(16);
    restored.restore(resource(ADAM));
    assertThat(restored.iteration()).isEqualTo(3);
    assertThat(restored.snapshot()).isEqualTo(fixtureAdam().snapshot());
  }

  /** Regenerates the fixtures: {@code args[0]} = model/src/test/resources. */
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    Files.write(
        root.resolve(PARAMS.substring(1)),
        ParameterCodec.encode("fixture-layout/v1", fixtureParams()));
    Files.write(root.resolve(ADAM.substring(1)), fixtureAdam().snapshot());
  }
}
