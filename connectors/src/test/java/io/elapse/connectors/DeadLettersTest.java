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
}
