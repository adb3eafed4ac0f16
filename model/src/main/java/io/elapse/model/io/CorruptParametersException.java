package io.elapse.model.io;

/**
 * Thrown when bytes are not a valid {@link ParameterCodec} encoding; {@link #reason()} says why.
 */
public final class CorruptParametersException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What is wrong with the bytes. */
  public enum Reason {
    /** The first four bytes are not the format's magic. */
    BAD_MAGIC,
    /** The format version (or a flag) is not one this code reads. */
    UNSUPPORTED_VERSION,
    /** Fewer bytes than the header announces. */
    TRUNCATED,
    /** More bytes than the header announces. */
    TRAILING_BYTES,
    /** A header field is out of range (negative count, malformed layout name, bad sparse index). */
    BAD_HEADER,
    /** The CRC32C of the content does not match the stored one. */
    CHECKSUM_MISMATCH,
    /** A sparse delta where a dense vector was expected, or the other way round. */
    WRONG_KIND
  }

  private final Reason reason;

  /** An exception for {@code reason} with a message giving the expected and actual values. */
  public CorruptParametersException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  /** Why the bytes were rejected. */
  public Reason reason() {
    return reason;
  }
}
