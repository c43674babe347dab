package org.mycelium.sync;

/**
 * One run of consecutive ids (client, clock .. clock + len - 1) in the document: a piece of
 * text, a run of list values, one map entry, one nested type, one counter increment, or a
 * tombstone. Runs split when something is inserted inside them or part of them is deleted, and
 * neighbours merge back when their ids, origins and state line up again.
 *
 * <p>Origins are kept as ids, not references, because they are written to the wire as ids and
 * because the item an id falls in changes as runs split and merge.
 */
final class Item {
  /** Garbage: the id range is kept, content, origins and position are dropped. */
  static final byte GC = 0;
  /** A gap in an update's clock range (wire only, never stored). */
  static final byte SKIP = 1;
  /** A deleted run whose content was dropped; it keeps its origins and its place. */
  static final byte DELETED = 2;
  /**
   * Text: {@code content} is a CharSequence of {@code len} UTF-16 code units: the String it
   * arrived or was inserted as, until something appends to it ({@link #text()}).
   */
  static final byte STRING = 3;
  /** List values: {@code content} is an Object[] of {@code len} values; a map entry holds its one value itself. */
  static final byte JSON = 4;
  /** A nested shared type: {@code content} is its {@link AbstractType}; len is 1. */
  static final byte TYPE = 5;
  /** A counter increment: {@code content} is a Double; len is 1. */
  static final byte COUNTER = 6;
  /**
   * Text with deleted holes (wire only): one run whose live parts and tombstones continue each
   * other, as typing with backspaces leaves them. Read back as text and deleted runs.
   */
  static final byte TEXT_HOLES = 7;

  final int client; // who made it
  int clock; // clock of its first unit
  int len; // number of units (clocks) it spans, at least 1
  int oClient = -1; // left origin id (the unit it was inserted after), client -1 when none
  int oClock;
  int rClient = -1; // right origin id (the unit it was inserted before), client -1 when none
  int rClock;
  Item left; // neighbour in the parent's sequence or map-key chain
  Item right;
  AbstractType parent; // null only for GC
  String parentSub; // map key, null in sequences
  Object content; // see the kind constants
  byte kind;
  boolean deleted;
  boolean merged; // merged into its left neighbour and no longer in the store
  Block block; // the block of its sequence that holds it; null in maps, counters and garbage

  Item(int client, int clock, int len, byte kind, Object content) {
    this.client = client;
    this.clock = clock;
    this.len = len;
    this.kind = kind;
    this.content = content;
  }

  /** Returns the number of visible units it adds to its sequence. */
  int liveLen() {
    return deleted || kind < STRING || kind == COUNTER ? 0 : len;
  }

  /** Returns the clock of its last unit. */
  int lastClock() {
    return clock + len - 1;
  }

  /**
   * Returns a text run's content ready to append to: a StringBuilder, made from the String the
   * run held until now (received and inserted text stays a String: most runs never grow).
   */
  StringBuilder text() {
    if (content instanceof StringBuilder) {
      return (StringBuilder) content;
    }
    StringBuilder sb = new StringBuilder((String) content);
    content = sb;
    return sb;
  }

  /** Returns the value at {@code offset} as the API shows it. */
  Object valueAt(int offset) {
    if (kind == TYPE) {
      return content;
    }
    return Json.decoded(parentSub != null ? content : ((Object[]) content)[offset]);
  }

  /**
   * Splits this run at {@code offset} (0 &lt; offset &lt; len): this keeps the first part and the
   * returned item, linked right after it, takes the rest. The caller puts it in the store.
   */
  Item splitAt(int offset) {
    Object rest = null;
    if (kind == STRING && content instanceof String) {
      String s = (String) content;
      rest = s.substring(offset);
      content = s.substring(0, offset);
    } else if (kind == STRING) {
      StringBuilder sb = (StringBuilder) content;
      rest = sb.substring(offset);
      sb.setLength(offset);
    } else if (kind == JSON) {
      Object[] all = (Object[]) content;
      Object[] head = new Object[offset];
      Object[] tail = new Object[all.length - offset];
      System.arraycopy(all, 0, head, 0, offset);
      System.arraycopy(all, offset, tail, 0, tail.length);
      content = head;
      rest = tail;
    }
    Item r = new Item(client, clock + offset, len - offset, kind, rest);
    if (kind != GC) {
      r.oClient = client;
      r.oClock = clock + offset - 1;
      r.rClient = rClient;
      r.rClock = rClock;
    }
    r.parent = parent;
    r.parentSub = parentSub;
    r.deleted = deleted;
    r.block = block;
    if (block != null) {
      block.count++;
    }
    r.left = this;
    r.right = right;
    if (right != null) {
      right.left = r;
    }
    right = r;
    len = offset;
    return r;
  }
}
