package io.elapse.model.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elapse.model.io.CorruptParametersException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ParameterCodecTest {

  private static float[] params() {
    Random rnd = new Random(8);
    float[] p = new float[1000];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) rnd.nextGaussian();
    }
    p[0] = Float.NaN;
    p[1] = Float.NEGATIVE_INFINITY;
    p[2] = -0.0f;
    p[3] = Float.MIN_VALUE;
    return p;
  }

  private static void assertCorrupt(Reason reason, ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            CorruptParametersException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining("expected");
  }

  @Test
  void roundTripPreservesEveryBit() {
    float[] p = params();
    byte[] bytes = ParameterCodec.encode("tlstm-h64-e32-k30/v1 ✓", p);
    DecodedParameters d = ParameterCodec.decode(bytes);
    assertThat(d.layoutName()).isEqualTo("tlstm-h64-e32-k30/v1 ✓");
    assertThat(d.formatVersion()).isEqualTo(1);
    int[] expected = new int[p.length];
    int[] got = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      expected[i] = Float.floatToRawIntBits(p[i]);
      got[i] = Float.floatToRawIntBits(d.params()[i]);
    }
    assertThat(got).isEqualTo(expected);
    assertThat(ParameterCodec.decode(ParameterCodec.encode("", new float[0])).params()).isEmpty();
  }

  @Test
  void layoutIsTheDocumentedOne() {
    byte[] bytes = ParameterCodec.encode("ab", new float[] {1.5f});
    assertThat(Arrays.copyOf(bytes, 4)).isEqualTo("ELPM".getBytes());
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getShort(4)).isEqualTo((short) 1);
    assertThat(b.getShort(6)).isEqualTo((short) 0);
    assertThat(b.getShort(8)).isEqualTo((short) 2);
    assertThat(b.getInt(12)).isEqualTo(1);
    assertThat(b.getFloat(16)).isEqualTo(1.5f);
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, 20);
    assertThat(b.getInt(20)).isEqualTo((int) crc.getValue());
    assertThat(bytes).hasSize(24);
  }

  @Test
  void detectsEachCorruption() {
    byte[] good = ParameterCodec.encode("layout", params());

    byte[] magic = good.clone();
    magic[0] = 'X';
    assertCorrupt(Reason.BAD_MAGIC, () -> ParameterCodec.decode(magic));

    byte[] version = good.clone();
    version[4] = 2;
    assertCorrupt(Reason.UNSUPPORTED_VERSION, () -> ParameterCodec.decode(version));

    byte[] flags = good.clone();
    flags[6] = 2;
    assertCorrupt(Reason.UNSUPPORTED_VERSION, () -> ParameterCodec.decode(flags));

    for (int cut : new int[] {0, 3, 10, 15, good.length - 1, good.length - 4}) {
      byte[] truncated = Arrays.copyOf(good, cut);
      assertCorrupt(Reason.TRUNCATED, () -> ParameterCodec.decode(truncated));
    }

    byte[] longer = Arrays.copyOf(good, good.length + 1);
    assertCorrupt(Reason.TRAILING_BYTES, () -> ParameterCodec.decode(longer));

    byte[] negative = good.clone();
    ByteBuffer.wrap(negative).order(ByteOrder.LITTLE_ENDIAN).putInt(10 + 6, -5);
    assertCorrupt(Reason.BAD_HEADER, () -> ParameterCodec.decode(negative));

    // every single bit flip in the body or checksum is caught
    Random rnd = new Random(2);
    for (int trial = 0; trial < 200; trial++) {
      byte[] flipped = good.clone();
      int at = 20 + rnd.nextInt(good.length - 20);
      flipped[at] ^= (byte) (1 << rnd.nextInt(8));
      assertCorrupt(Reason.CHECKSUM_MISMATCH, () -> ParameterCodec.decode(flipped));
    }
    byte[] name = good.clone();
    name[11] ^= 0x01;
    assertCorrupt(Reason.CHECKSUM_MISMATCH, () -> ParameterCodec.decode(name));
  }
}
