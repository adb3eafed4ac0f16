package io.elapse.model;

/**
 * An event or label that cannot be used (negative, NaN or infinite elapsed time, wrong feature
 * count, non-finite feature). The message says what was wrong; the pipeline dead-letters it.
 */
public class InvalidInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that states the expected and the given value. */
  public InvalidInputException(String message) {
    super(message);
  }
}
