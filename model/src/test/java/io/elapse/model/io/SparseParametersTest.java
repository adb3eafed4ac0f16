package io.elapse.model.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elapse.model.io.CorruptParametersException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class SparseParametersTest {

  @Test
  void diffEncodeDecodeApplyRebuildsTheNewVector() {
    Random rnd = new Random(12);
    float[] base = new float[500];
    for (int i = 0; i < base.length; i++) {
      base[i] = (float) rnd.nextGaussian();
    }
    float[] next = base.clone();
    for (int i = 0; i < 40; i++) {
      next[rnd.nextInt(next.length)] += 0.5f;
    }
    next[499] = Float.NaN;
    SparseParameters delta = SparseParameters.diff("layout", base, next);
    byte[] bytes = delta.encode();
    assertThat(ParameterCodec.isSparse(bytes)).isTrue();
    assertThat(ParameterCodec.isSparse(ParameterCodec.encode("layout", base))).isFalse();
    SparseParameters decoded = ParameterCodec.decodeSparse(bytes);
    assertThat(decoded.layoutName()).isEqualTo("layout");
    assertThat(decoded.fullLength()).isEqualTo(500);
    assertThat(decoded.indices()).isEqualTo(delta.indices());
    float[] rebuilt = decoded.applyTo(base);
    for (int i = 0; i < base.length; i++) {
      assertThat(Float.floatToRawIntBits(rebuilt[i])).isEqualTo(Float.floatToRawIntBits(next[i]));
    }
    assertThat(base[499]).isNotNaN(); // base untouched
  }

  @Test
  void kindsAreNotConfused() {
    byte[] dense = ParameterCodec.encode("l", new float[] {1f});
    byte[] sparse = ParameterCodec.encodeSparse("l", 3, new int[] {2}, new float[] {1f});
    assertThatThrownBy(() -> ParameterCodec.decodeSparse(dense))
        .isInstanceOfSatisfying(
            CorruptParametersException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_KIND));
    assertThatThrownBy(() -> ParameterCodec.decode(sparse))
        .isInstanceOfSatisfying(
            CorruptParametersException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_KIND));
  }

  @Test
  void detectsCorruptionOfASparseDelta() {
    byte[] good = ParameterCodec.encodeSparse("l", 10, new int[] {1, 5}, new float[] {1f, 2f});
    byte[] cut = Arrays.copyOf(good, good.length - 2);
    assertThatThrownBy(() -> ParameterCodec.decodeSparse(cut)).hasMessageContaining("TRUNCATED");
    byte[] flipped = good.clone();
    flipped[good.length - 6] ^= 4;
    assertThatThrownBy(() -> ParameterCodec.decodeSparse(flipped))
        .hasMessageContaining("CHECKSUM_MISMATCH");
    // decreasing indices with a valid checksum: caught as a bad header
    byte[] unordered = good.clone();
    ByteBuffer b = ByteBuffer.wrap(unordered).order(ByteOrder.LITTLE_ENDIAN);
    int indicesAt = 10 + 1 + 8;
    b.putInt(indicesAt, 7);
    CRC32C crc = new CRC32C();
    crc.update(unordered, 0, unordered.length - 4);
    b.putInt(unordered.length - 4, (int) crc.getValue());
    assertThatThrownBy(() -> ParameterCodec.decodeSparse(unordered))
        .hasMessageContaining("BAD_HEADER")
        .hasMessageContaining("got 5 after 7");
  }

  @Test
  void rejectsBadDeltasAtConstruction() {
    assertThatThrownBy(() -> ParameterCodec.encodeSparse("l", 3, new int[] {3}, new float[] {1}))
        .hasMessageContaining("[0,3), got 3");
    assertThatThrownBy(() -> new SparseParameters("l", 1, 3, new int[] {0, 1}, new float[1]))
        .hasMessageContaining("expected 2 values (one per index), got 1");
    SparseParameters d = SparseParameters.diff("l", new float[2], new float[] {0f, 1f});
    assertThatThrownBy(() -> d.applyTo(new float[3]))
        .hasMessageContaining("expected a base vector of 2 values, got 3");
  }
}
