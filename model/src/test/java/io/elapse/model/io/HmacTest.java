package io.elapse.model.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HmacTest {

  @Test
  void matchesRfc4231TestCase1() {
    byte[] key = new byte[20];
    Arrays.fill(key, (byte) 0x0b);
    byte[] tag = new Hmac(key).sign("Hi There".getBytes(StandardCharsets.US_ASCII));
    assertThat(HexFormat.of().formatHex(tag))
        .isEqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  }

  @Test
  void verifiesOnlyTheRightTagKeyAndData() {
    Hmac hmac = new Hmac("a model-update key of 32 bytes!!".getBytes(StandardCharsets.UTF_8));
    byte[] data = ParameterCodec.encode("layout", new float[] {1f, 2f, 3f});
    byte[] tag = hmac.sign(data);
    assertThat(tag).hasSize(Hmac.TAG_LENGTH);
    assertThat(hmac.verify(data, tag)).isTrue();
    byte[] tampered = data.clone();
    tampered[16] ^= 1;
    assertThat(hmac.verify(tampered, tag)).isFalse();
    byte[] badTag = tag.clone();
    badTag[31] ^= 1;
    assertThat(hmac.verify(data, badTag)).isFalse();
    assertThat(hmac.verify(data, Arrays.copyOf(tag, 31))).isFalse();
    assertThat(new Hmac("another key".getBytes(StandardCharsets.UTF_8)).verify(data, tag))
        .isFalse();
    assertThatThrownBy(() -> new Hmac(new byte[0])).hasMessageContaining("got 0");
  }
}
