package io.elapse.pipeline.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elapse.avro.DeadLetter;
import io.elapse.avro.Event;
import io.elapse.connectors.AvroCodec;
import io.elapse.connectors.DeadLetters;
import io.elapse.connectors.RawRecord;
import io.elapse.connectors.ReasonCodes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterCountsTest {

  private static final Instant FAILED_AT = Instant.parse("2026-12-04T12:00:00Z");

  private static byte[] deadLetter(String reason, String stage) {
    RawRecord origin = new RawRecord("elapse.labels", 1, 42, -1, null, null);
    return AvroCodec.of(DeadLetter.class)
        .encode(DeadLetters.of(origin, reason, "test: " + reason, stage, "entity-1", FAILED_AT));
  }

  @Test
  void countsDecodedDeadLettersByTheirReason() {
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      values.add(deadLetter(ReasonCodes.EXPIRED, "learner"));
    }
    values.add(deadLetter(ReasonCodes.LATE, "learner"));
    values.add(deadLetter(ReasonCodes.INVALID_FIELD, DeadLetters.STAGE_DECODE));

    DeadLetterCounts counts = DeadLetterCounts.count(values);

    assertThat(counts.byReason())
        .containsExactly(
            Map.entry(ReasonCodes.EXPIRED, 3L),
            Map.entry(ReasonCodes.INVALID_FIELD, 1L),
            Map.entry(ReasonCodes.LATE, 1L));
    assertThat(counts.total()).isEqualTo(5);
    assertThat(counts.describe()).isEqualTo("expired 3, invalid-field 1, late 1");
  }

  @Test
  void valuesThatAreNotDeadLettersCountAsUndecodable() {
    byte[] good = deadLetter(ReasonCodes.EXPIRED, "learner");
    byte[] garbage = {1, 2, 3, 4, 5};
    byte[] truncated = Arrays.copyOf(good, good.length - 5);
    byte[] event =
        AvroCodec.of(Event.class)
            .encode(
                Event.newBuilder()
                    .setEntityId("entity-1")
                    .setEventId("entity-1-0")
                    .setEventType("type-0")
                    .setEventTime(FAILED_AT)
                    .setFeatures(null)
                    .setElapsedMillis(null)
                    .build());

    DeadLetterCounts counts =
        DeadLetterCounts.count(Arrays.asList(good, garbage, truncated, event, null, new byte[0]));

    assertThat(counts.byReason())
        .containsExactly(
            Map.entry(ReasonCodes.UNDECODABLE, 5L), Map.entry(ReasonCodes.EXPIRED, 1L));
    assertThat(counts.total()).isEqualTo(6);
  }

  @Test
  void countsOfSeveralBatchesAddUpPerReason() {
    DeadLetterCounts first =
        DeadLetterCounts.count(List.of(deadLetter(ReasonCodes.LATE, "learner")));
    DeadLetterCounts second =
        DeadLetterCounts.count(
            List.of(
                deadLetter(ReasonCodes.LATE, "learner"),
                deadLetter(ReasonCodes.EXPIRED, "learner")));

    DeadLetterCounts sum = DeadLetterCounts.NONE.plus(first).plus(second);

    assertThat(sum.byReason())
        .containsExactly(Map.entry(ReasonCodes.LATE, 2L), Map.entry(ReasonCodes.EXPIRED, 1L));
    assertThat(sum.total()).isEqualTo(3);
  }

  @Test
  void noDeadLettersIsAnEmptyBreakdown() {
    DeadLetterCounts none = DeadLetterCounts.count(List.of());

    assertThat(none).isEqualTo(DeadLetterCounts.NONE);
    assertThat(none.total()).isZero();
    assertThat(none.describe()).isEmpty();
  }

  @Test
  void aCountBelowOneIsRejectedNamingTheReasonAndValue() {
    assertThatThrownBy(() -> new DeadLetterCounts(Map.of(ReasonCodes.LATE, 0L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("late = 0");
  }
}
