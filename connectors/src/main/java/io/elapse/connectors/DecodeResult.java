package io.elapse.connectors;

import java.util.Objects;

/**
 * The outcome of decoding one record: either the record or a failure with a reason code from {@link
 * ReasonCodes} and a human-readable message. Never both.
 *
 * @param <T> the decoded record type
 */
public final class DecodeResult<T> {

  private final T record;
  private final String reason;
  private final String message;

  private DecodeResult(T record, String reason, String message) {
    this.record = record;
    this.reason = reason;
    this.message = message;
  }

  /** A successful decode. */
  public static <T> DecodeResult<T> success(T record) {
    return new DecodeResult<>(Objects.requireNonNull(record, "record"), null, null);
  }

  /** A failed decode with its reason code and message. */
  public static <T> DecodeResult<T> failure(String reason, String message) {
    return new DecodeResult<>(
        null, Objects.requireNonNull(reason, "reason"), Objects.requireNonNull(message, "message"));
  }

  /** Whether a record was decoded. */
  public boolean isSuccess() {
    return record != null;
  }

  /** The decoded record; throws when this is a failure. */
  public T record() {
    if (record == null) {
      throw new IllegalStateException(
          "no record: decoding failed with reason " + reason + ": " + message);
    }
    return record;
  }

  /** The reason code of a failure; throws when this is a success. */
  public String reason() {
    if (record != null) {
      throw new IllegalStateException("no failure reason: the record was decoded");
    }
    return reason;
  }

  /** The message of a failure; throws when this is a success. */
  public String message() {
    if (record != null) {
      throw new IllegalStateException("no failure message: the record was decoded");
    }
    return message;
  }

  @Override
  public String toString() {
    return isSuccess()
        ? "DecodeResult.success(" + record.getClass().getSimpleName() + ")"
        : "DecodeResult.failure(" + reason + ": " + message + ")";
  }
}
