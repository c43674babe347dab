package org.mycelium.sync.js;

import org.mycelium.sync.MalformedUpdateException;

/**
 * The last engine error, for the glue to rethrow as the right JavaScript error. Exported calls
 * that can fail catch the exception, record it here and return false or null; the glue then
 * calls takeError(). This works the same in wasm-gc and in the JS target, where Java
 * exceptions reach JavaScript in different shapes.
 */
final class Errors {
  private static String last; // "Kind:message", or null

  private Errors() {
  }

  static void record(RuntimeException e) {
    String kind;
    if (e instanceof IndexOutOfBoundsException) {
      kind = "RangeError";
    } else if (e instanceof IllegalArgumentException) {
      kind = "TypeError";
    } else {
      kind = "Error";
    }
    String message = e.getMessage();
    if (e instanceof MalformedUpdateException) {
      message = "malformed update: " + message;
    }
    last = kind + ":" + (message != null ? message : e.getClass().getName());
  }

  static String take() {
    String e = last;
    last = null;
    return e;
  }
}
