package org.mycelium.sync;

import java.util.List;

/** One step of a sequence change: keep {@code count} units, insert content, or delete {@code count} units. */
public final class Delta {
  private final String op;
  private final int count;
  private final Object insert;

  Delta(String op, int count, Object insert) {
    this.op = op;
    this.count = count;
    this.insert = insert;
  }

  /** Returns "retain", "insert" or "delete". */
  public String op() {
    return op;
  }

  /** Returns the number of units retained, inserted or deleted. */
  public int count() {
    return count;
  }

  /** Returns what was inserted: a String for text, a {@code List<Object>} for lists; null otherwise. */
  public Object insert() {
    return insert;
  }

  /**
   * Describes the delta as "retain 1, insert 'x', delete 2" (for tests and debugging). Not
   * toString: an override would make every virtual toString reach List and Double formatting,
   * which costs 10 KB of wasm.
   */
  public static String describe(List<Delta> delta) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < delta.size(); i++) {
      Delta d = delta.get(i);
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(d.insert != null ? "insert " : d.op + " ");
      if (d.insert instanceof String) {
        sb.append('\'').append((String) d.insert).append('\'');
      } else if (d.insert != null) {
        sb.append(String.valueOf(d.insert));
      } else {
        sb.append(d.count);
      }
    }
    return sb.append(']').toString();
  }
}
