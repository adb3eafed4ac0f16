package io.elapse.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elapse.avro.DeadLetter;
import io.elapse.avro.Event;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

  static final byte[] KEY = "user-7".getBytes(StandardCharsets.UTF_8);
  static final byte[] GARBAGE = {(byte) 0xC3, 0x01, 7};

  @Test
  void aDecodeFailureKeepsOriginBytesAndReason() {
    RawRecord origin = new RawRecord("elapse.events", 2, 41L, 1_000L, KEY, GARBAGE);
    DecodeResult<Event> failure = AvroCodec.of(Event.class).decode(origin.value);

    DeadLetter letter = DeadLetters.ofDecodeFailure(origin, failure);

    assertThat(letter.getSourceTopic()).isEqualTo("elapse.events");
    assertThat(letter.getSourcePartition()).isEqualTo(2);
    assertThat(letter.getSourceOffset()).isEqualTo(41L);
    assertThat(letter.getKey()).isEqualTo(ByteBuffer.wrap(KEY));
    assertThat(letter.getValue()).isEqualTo(ByteBuffer.wrap(GARBAGE));
    assertThat(letter.getReason()).isEqualTo(ReasonCodes.UNDECODABLE);
    assertThat(letter.getStage()).isEqualTo(DeadLetters.STAGE_DECODE);
    assertThat(letter.getMessage()).contains("expected at least 10 bytes, got 3");
    // the dead letter itself encodes
    assertThat(
            AvroCodec.of(DeadLetter.class)
                .decode(AvroCodec.of(DeadLetter.class).encode(letter))
                .record())
        .isEqualTo(letter);
  }

  @Test
  void aDeadLetterWithoutOriginHasUnknownPosition() {
    DeadLetter letter =
        DeadLetters.of(null, ReasonCodes.INTEGRITY, "checksum mismatch", "model-loop", "u-1");

    assertThat(letter.getSourceTopic()).isEmpty();
    assertThat(letter.getSourcePartition()).isEqualTo(-1);
    assertThat(letter.getSourceOffset()).isEqualTo(-1L);
    assertThat(letter.getEntityId()).isEqualTo("u-1");
  }

  @Test
  void aBlankReasonIsRejected() {
    assertThatThrownBy(() -> DeadLetters.of(null, " ", "m", "decode", null))
        .hasMessageContaining("reason: expected non-blank text");
  }

  @Test
  void rawRecordIsAFlinkPojo() {
    assertThat(TypeInformation.of(RawRecord.class)).isInstanceOf(PojoTypeInfo.class);
  }

  @Test
  void aHugeRecordGivesADeadLetterFarBelowTheOneMegabyteRecordLimit() {
    byte[] value = new byte[2 << 20];
    byte[] key = new byte[100_000];
    RawRecord origin = new RawRecord("elapse.model", 0, 9L, 1_000L, key, value);
    String huge = "x".repeat(600_000);

    DeadLetter letter =
        DeadLetters.of(origin, ReasonCodes.UNDECODABLE, "bad: " + huge, "model-loop", huge);
    byte[] encoded = AvroCodec.of(DeadLetter.class).encode(letter);

    assertThat(encoded.length).isLessThan(400_000);
    assertThat(letter.getValue().remaining()).isEqualTo(DeadLetters.MAX_VALUE_BYTES);
    assertThat(letter.getKey().remaining()).isEqualTo(DeadLetters.MAX_KEY_BYTES);
    assertThat(letter.getMessage())
        .startsWith("bad: xxx")
        .contains("[cut: 600005 characters in all]")
        .contains("value cut to its first 262144 of 2097152 bytes")
        .contains("key cut to its first 16384 of 100000 bytes");
    assertThat(letter.getEntityId()).hasSizeLessThan(9_000);
    assertThat(letter.getSourceOffset()).isEqualTo(9L);
  }
}
