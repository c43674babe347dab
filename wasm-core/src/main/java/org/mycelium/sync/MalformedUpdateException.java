package org.mycelium.sync;

/**
 * Thrown when bytes handed to the engine (an update, a state vector, a sync message) are not
 * well formed. The message says what was wrong and at which byte offset; the document that was
 * asked to apply them is left exactly as it was.
 */
public final class MalformedUpdateException extends RuntimeException {
  private final int offset;

  /** Creates the exception for a problem found at {@code offset} bytes into the input. */
  public MalformedUpdateException(String what, int offset) {
    super(what + " at byte " + offset);
    this.offset = offset;
  }

  /** Returns the byte offset in the input where the problem was found. */
  public int offset() {
    return offset;
  }
}
