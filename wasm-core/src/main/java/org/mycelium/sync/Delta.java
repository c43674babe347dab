package org.mycelium.sync;

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
}
