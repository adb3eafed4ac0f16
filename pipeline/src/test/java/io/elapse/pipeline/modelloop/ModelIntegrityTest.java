package io.elapse.pipeline.modelloop;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.DeadLetter;
import io.elapse.avro.ModelUpdate;
import io.elapse.connectors.AvroCodec;
import io.elapse.connectors.RawRecord;
import io.elapse.pipeline.TestSettings;
import io.elapse.pipeline.config.JobSettings;
import io.elapse.pipeline.coordinator.CoordinatorCore;
import io.elapse.pipeline.records.ModelState;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelIntegrityTest {

  static final JobSettings SETTINGS = TestSettings.small();

  static ModelUpdate sealed(String key) {
    JobSettings s =
        key == null ? SETTINGS : TestSettings.small(Map.of("elapse.coordinator.hmac-key", key));
    return CoordinatorCore.cold(s).toUpdate(1_000L);
  }

  static ModelUpdate tamperedParameters(ModelUpdate u) {
    byte[] p = new byte[u.getParameters().remaining()];
    u.getParameters().duplicate().get(p);
    p[p.length / 2] ^= 1;
    return ModelUpdate.newBuilder(u).setParameters(ByteBuffer.wrap(p)).build();
  }

  @Test
  void aSealedUpdateVerifiesAndDecodesToTheSameParameters() {
    ModelUpdate u = sealed(null);
    assertThat(ModelIntegrity.verify(u, null).ok()).isTrue();
    ModelState state = ModelUpdates.toState(u, SETTINGS);
    assertThat(state.parameters).containsExactly(CoordinatorCore.cold(SETTINGS).parameters());
    assertThat(state.epoch).isEqualTo(1);
  }

  @Test
  void aTamperedUpdateFailsTheChecksum() {
    var verdict = ModelIntegrity.verify(tamperedParameters(sealed(null)), null);
    assertThat(verdict.ok()).isFalse();
    assertThat(verdict.problem()).contains("checksum mismatch");
  }

  @Test
  void withAKeyUnsignedOrWronglySignedUpdatesAreRejected() {
    assertThat(ModelIntegrity.verify(sealed(null), "secret").problem()).contains("unsigned");
    assertThat(ModelIntegrity.verify(sealed("other"), "secret").problem()).contains("HMAC");
    assertThat(ModelIntegrity.verify(sealed("secret"), "secret").ok()).isTrue();
  }

  @Test
  void theModelLoopDeadLettersTamperedUpdatesAndPassesGoodOnes() throws Exception {
    var harness =
        new OneInputStreamOperatorTestHarness<RawRecord, ModelState>(
            new ProcessOperator<>(new DecodeModelUpdates(SETTINGS)));
    harness.open();
    AvroCodec<ModelUpdate> codec = AvroCodec.of(ModelUpdate.class);
    harness.processElement(
        new StreamRecord<>(
            new RawRecord("m", 0, 1, 0, null, codec.encode(tamperedParameters(sealed(null))))));
    harness.processElement(
        new StreamRecord<>(new RawRecord("m", 0, 2, 0, null, codec.encode(sealed(null)))));

    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(m -> assertThat(m.epoch).isEqualTo(1));
    List<DeadLetter> dead =
        harness.getSideOutput(DecodeModelUpdates.DEAD_LETTERS).stream()
            .map(StreamRecord::getValue)
            .toList();
    assertThat(dead)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getReason()).isEqualTo("integrity");
              assertThat(d.getSourceOffset()).isEqualTo(1);
            });
    harness.close();
  }

  @ParameterizedTest
  @CsvSource({
    "elapse.model.hidden-size, 6, 'hiddenSize expected 8, got 6'",
    "elapse.model.time-transform, zero, 'timeTransform expected log1p, got zero'"
  })
  void anUpdateOfAnotherModelConfigurationIsRejected(String key, String value, String message) {
    ModelUpdate other = CoordinatorCore.cold(TestSettings.small(Map.of(key, value))).toUpdate(0);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelUpdates.toState(other, SETTINGS))
        .hasMessageContaining(message);
  }
}
