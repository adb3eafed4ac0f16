package io.elapse.pipeline.demo;

import io.elapse.avro.DeadLetter;
import io.elapse.connectors.AvroCodec;
import io.elapse.connectors.DecodeResult;
import io.elapse.connectors.ReasonCodes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How many records a dead-letter topic holds, per reason code ({@code connectors} {@link
 * ReasonCodes}). A value that does not decode as a {@link DeadLetter} counts under {@link
 * ReasonCodes#UNDECODABLE}: nothing is left out of the total.
 *
 * @param byReason count per reason code, largest first (ties by reason); every count at least 1
 */
public record DeadLetterCounts(Map<String, Long> byReason) {

  /** No dead letters. */
  public static final DeadLetterCounts NONE = new DeadLetterCounts(Map.of());

  /** Validates the counts and orders them, largest first. */
  public DeadLetterCounts {
    Objects.requireNonNull(byReason, "byReason");
    List<Map.Entry<String, Long>> entries = new ArrayList<>(byReason.entrySet());
    for (Map.Entry<String, Long> e : entries) {
      if (e.getKey() == null || e.getValue() == null || e.getValue() < 1) {
        throw new IllegalArgumentException(
            "dead-letter counts: expected a reason with a count >= 1, got "
                + e.getKey()
                + " = "
                + e.getValue());
      }
    }
    entries.sort(
        Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry.comparingByKey()));
    Map<String, Long> ordered = new LinkedHashMap<>();
    entries.forEach(e -> ordered.put(e.getKey(), e.getValue()));
    byReason = Collections.unmodifiableMap(ordered);
  }

  /** Counts {@code values} (raw dead-letter topic values, null allowed) by their reason code. */
  public static DeadLetterCounts count(Iterable<byte[]> values) {
    Map<String, Long> counts = new HashMap<>();
    for (byte[] value : values) {
      counts.merge(reasonOf(value), 1L, Long::sum);
    }
    return new DeadLetterCounts(counts);
  }

  /**
   * The reason code of one raw dead-letter value, or {@link ReasonCodes#UNDECODABLE} when it is not
   * a decodable {@link DeadLetter} (null, garbage, another record type, an unknown schema).
   */
  public static String reasonOf(byte[] value) {
    DecodeResult<DeadLetter> decoded = AvroCodec.of(DeadLetter.class).decode(value);
    return decoded.isSuccess() ? decoded.record().getReason().toString() : ReasonCodes.UNDECODABLE;
  }

  /** These counts and {@code other}'s, added per reason. */
  public DeadLetterCounts plus(DeadLetterCounts other) {
    Map<String, Long> sum = new HashMap<>(byReason);
    other.byReason.forEach((reason, n) -> sum.merge(reason, n, Long::sum));
    return new DeadLetterCounts(sum);
  }

  /** All dead letters, whatever their reason. */
  public long total() {
    return byReason.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The breakdown as text, largest first, e.g. {@code expired 150, late 26}; empty when none. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    byReason.forEach((reason, n) -> parts.add(String.format(Locale.ROOT, "%s %,d", reason, n)));
    return String.join(", ", parts);
  }
}
