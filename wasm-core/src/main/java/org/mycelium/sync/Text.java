package org.mycelium.sync;

/**
 * Shared text. Indexes and lengths count UTF-16 code units, as JavaScript strings do; a
 * surrogate pair may be split by an index and each half is kept exactly.
 */
public final class Text extends AbstractType {
  Text(Doc doc, String name, Item item, int depth) {
    super(doc, TEXT, name, item, depth);
  }

  /** Inserts {@code s} at {@code index} (0..length). */
  public void insert(int index, String s) {
    if (s == null) {
      throw new IllegalArgumentException("text is null");
    }
    checkAlive();
    checkRange(index, 0, length);
    if (s.isEmpty()) {
      return;
    }
    boolean outer = doc.begin(null, true);
    try {
      insertRun(index, Item.STRING, s, s.length());
    } finally {
      if (outer) {
        doc.end();
      }
    }
  }

  /** Deletes {@code length} code units from {@code index}. */
  public void delete(int index, int length) {
    deleteChecked(index, length);
  }

  /** Returns the number of UTF-16 code units. */
  public int length() {
    return length;
  }

  /** Returns the text. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(length);
    for (Item it = start; it != null; it = it.right) {
      if (it.liveLen() > 0) {
        sb.append((CharSequence) it.content);
      }
    }
    return sb.toString();
  }

  /** Adds an observer; returns a function that removes it. */
  public Runnable observe(Observer o) {
    return addObserver(o);
  }

  /**
   * Adds an observer of this type and every type nested in it: it hears each changed type's
   * event ({@link Event#target()} says which), once per transaction; returns its remover.
   */
  public Runnable observeDeep(Observer o) {
    return addDeepObserver(o);
  }

  @Override
  Object json() {
    return toString();
  }
}
