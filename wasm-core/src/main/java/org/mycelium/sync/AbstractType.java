package org.mycelium.sync;

import java.util.ArrayList;

/**
 * What every shared type has: its document, where it lives (a root name or the item that holds
 * it), its items, and its observers. Sequences (text, list) keep a doubly linked list of runs
 * from {@link #start} plus a few position markers; maps keep, per key, the last item of that
 * key's chain; counters keep per-client sums (see {@link Counter}).
 *
 * <p>Position lookup: the runs of a sequence are grouped in {@link Block}s of at most 128 runs
 * that know their visible length, so a lookup sums block lengths and walks inside one block.
 * On top, markers (a run and the number of visible units before it) serve lookups near a
 * recent position, so typing at the cursor costs a step or two. Local inserts and deletes shift
 * the markers exactly; any remote change to the type drops them, while blocks stay exact.
 */
abstract class AbstractType {
  static final int TEXT = 0;
  static final int LIST = 1;
  static final int MAP = 2;
  static final int COUNTER = 3;
  /** Deepest nesting of shared types; an update nesting deeper is dropped as garbage. */
  static final int MAX_DEPTH = 32;
  private static final int MAX_MARKERS = 16;

  final Doc doc;
  final int kind;
  final String name; // root name, null when nested
  final Item item; // the item holding this nested type, null for roots
  final int depth; // 0 for roots
  Item start; // first item of a sequence
  int length; // visible units of a sequence
  KeyMap map; // map key -> last item of its chain
  ArrayList<Observer> observers;
  ArrayList<Observer> deepObservers; // hear of changes to this type and everything nested in it
  Transaction touchedBy; // the transaction that last changed this type
  int touchIndex; // its index in touchedBy.changed
  boolean touchObserved; // someone listened to it (or above it) when touchedBy first touched it
  double counterDelta; // for counters: the amount added in touchedBy
  Block[] blocks; // a sequence's blocks in list order, first nBlocks used
  int nBlocks;
  Item[] markItem; // position markers, see the class comment
  int[] markIndex;
  int marks;
  private int markNext; // round-robin slot for a new marker

  AbstractType(Doc doc, int kind, String name, Item item, int depth) {
    this.doc = doc;
    this.kind = kind;
    this.name = name;
    this.item = item;
    this.depth = depth;
    if (kind == MAP) {
      map = new KeyMap();
    }
  }

  /** Returns the JSON value of this type. */
  abstract Object json();

  /** Returns true when the item holding this type was deleted. */
  boolean isDead() {
    return item != null && item.deleted;
  }

  void checkAlive() {
    if (isDead()) {
      throw new IllegalStateException("this shared type was deleted from its parent");
    }
  }

  Runnable addObserver(Observer o) {
    if (observers == null) {
      observers = new ArrayList<>();
    }
    return addTo(observers, o);
  }

  Runnable addDeepObserver(Observer o) {
    if (deepObservers == null) {
      deepObservers = new ArrayList<>();
    }
    return addTo(deepObservers, o);
  }

  private static Runnable addTo(ArrayList<Observer> list, Observer o) {
    if (o == null) {
      throw new IllegalArgumentException("observer is null");
    }
    list.add(o);
    return () -> list.remove(o);
  }

  /** Returns true when observers of this type, or deep observers of it or a type above, exist. */
  boolean observed() {
    if (observers != null && !observers.isEmpty()) {
      return true;
    }
    for (AbstractType up = this; up != null; up = up.holder()) {
      if (up.deepObservers != null && !up.deepObservers.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Returns the type that holds this one, or null for a root (or a type whose holder is gone). */
  AbstractType holder() {
    return item == null ? null : item.parent;
  }

  void checkNestable() {
    if (depth >= MAX_DEPTH) {
      throw new IllegalStateException("shared types nest at most 32 deep");
    }
  }

  static void checkRange(int index, int len, int size) {
    if (index < 0 || len < 0 || index > size || len > size - index) {
      throw new IndexOutOfBoundsException("index " + index + " length " + len + " outside 0.." + size);
    }
  }

  // ---- blocks ----

  /** Files a newly linked run (already between its neighbours) in a block. */
  void blockLinked(Item it) {
    Block b;
    if (it.left != null) {
      b = it.left.block;
    } else if (nBlocks > 0) {
      b = blocks[0];
      b.first = it;
    } else {
      b = new Block(it);
      blocks = new Block[4];
      blocks[0] = b;
      nBlocks = 1;
    }
    it.block = b;
    b.count++;
    b.live += it.liveLen();
    if (b.count > Block.MAX) {
      splitBlock(b);
    }
  }

  private void splitBlock(Block b) {
    Item x = b.first;
    for (int i = 0; i < Block.MAX / 2; i++) {
      x = x.right;
    }
    Block nb = new Block(x);
    nb.count = b.count - Block.MAX / 2;
    for (int i = 0; i < nb.count; i++) {
      x.block = nb;
      nb.live += x.liveLen();
      x = x.right;
    }
    b.count = Block.MAX / 2;
    b.live -= nb.live;
    int at = 0;
    while (blocks[at] != b) {
      at++;
    }
    if (nBlocks == blocks.length) {
      blocks = java.util.Arrays.copyOf(blocks, nBlocks * 2);
    }
    System.arraycopy(blocks, at + 1, blocks, at + 2, nBlocks - at - 1);
    blocks[at + 1] = nb;
    nBlocks++;
  }

  /** Forgets the blocks of a type whose runs are gone. */
  void dropBlocks() {
    blocks = null;
    nBlocks = 0;
  }

  // ---- position markers ----

  void clearMarkers() {
    marks = 0;
  }

  /**
   * Returns the item holding visible unit {@code u} (0 &lt;= u &lt; length) and sets
   * {@link Doc#seekIndex} to the number of visible units before it.
   */
  Item seek(int u) {
    Item it = start;
    int idx = 0;
    int best = u;
    int slot = -1;
    for (int m = 0; m < marks; m++) {
      int dist = markIndex[m] > u ? markIndex[m] - u : u - markIndex[m];
      if (dist < best) {
        best = dist;
        slot = m;
      }
    }
    if (slot >= 0 && best <= 2 * Block.MAX) {
      it = markItem[slot];
      idx = markIndex[slot];
    } else {
      slot = -1;
      int bi = 0;
      while (idx + blocks[bi].live <= u) {
        idx += blocks[bi].live;
        bi++;
      }
      it = blocks[bi].first;
    }
    int steps = 0;
    while (true) {
      if (u < idx) {
        it = it.left;
        idx -= it.liveLen();
      } else {
        int ll = it.liveLen();
        if (u < idx + ll) {
          break;
        }
        idx += ll;
        it = it.right;
      }
      steps++;
    }
    if (slot < 0 || steps > 32) {
      slot = addMarkerSlot();
    }
    markItem[slot] = it;
    markIndex[slot] = idx;
    doc.seekIndex = idx;
    return it;
  }

  private int addMarkerSlot() {
    if (markItem == null) {
      markItem = new Item[MAX_MARKERS];
      markIndex = new int[MAX_MARKERS];
    }
    if (marks < MAX_MARKERS) {
      return marks++;
    }
    markNext = (markNext + 1) % MAX_MARKERS;
    return markNext;
  }

  /** Shifts markers after a local insert of {@code n} visible units at {@code index}. */
  void markInserted(int index, int n, Item inserted) {
    for (int m = 0; m < marks; m++) {
      int mi = markIndex[m];
      if (mi > index || (mi == index && !markItem[m].deleted && markItem[m] != inserted)) {
        markIndex[m] = mi + n;
      }
    }
    if (marks == 0) {
      addMarkerSlot();
    }
    markItem[0] = inserted;
    markIndex[0] = index;
  }

  /** Shifts markers after a local delete of {@code n} visible units at {@code index}. */
  void markDeleted(int index, int n) {
    for (int m = 0; m < marks; m++) {
      int mi = markIndex[m];
      if (mi >= index + n) {
        markIndex[m] = mi - n;
      } else if (mi > index) {
        markIndex[m] = index;
      }
    }
  }

  /** Repoints markers on {@code gone} (merged into {@code into}, its left neighbour). */
  void markMerged(Item gone, Item into, int intoLive) {
    for (int m = 0; m < marks; m++) {
      if (markItem[m] == gone) {
        markItem[m] = into;
        markIndex[m] -= intoLive;
      }
    }
  }

  // ---- local sequence edits ----

  /**
   * Finds the neighbours for inserting at visible index {@code index}, splitting a run if the
   * index falls inside one; the left neighbour is moved past deleted runs so that new text
   * lands next to the visible text that follows. Returns the left neighbour (null at start).
   */
  Item leftForInsert(int index) {
    Item left = null;
    if (index > 0) {
      left = seek(index - 1);
      int off = index - doc.seekIndex;
      if (off < left.len) {
        doc.split(left, off);
      }
    }
    Item next = left == null ? start : left.right;
    while (next != null && next.deleted) {
      left = next;
      next = next.right;
    }
    return left;
  }

  /** Inserts a new run (content of kind {@code kind}, {@code n} units) at a visible index. */
  Item insertRun(int index, byte kind, Object content, int n) {
    Item left = leftForInsert(index);
    Item right = left == null ? start : left.right;
    if (kind == Item.STRING && left != null && doc.extendLocal(left, right, (String) content, n)) {
      // typing on at the end of this replica's last run: the run grows in place
      length += n;
      left.block.live += n;
      markInserted(index, n, null);
      setMarker(0, left, index + n - left.len);
      return left;
    }
    Item it = doc.newLocalItem(kind, content, n, this, null, left, right);
    markInserted(index, n, it);
    return it;
  }

  private void setMarker(int slot, Item it, int index) {
    markItem[slot] = it;
    markIndex[slot] = index;
  }

  /** Checks the range, then deletes it in a transaction. */
  void deleteChecked(int index, int n) {
    checkAlive();
    checkRange(index, n, length);
    if (n == 0) {
      return;
    }
    boolean outer = doc.begin(null, true);
    try {
      deleteRange(index, n);
    } finally {
      if (outer) {
        doc.end();
      }
    }
  }

  /**
   * Creates a nested type of {@code kind}: in a sequence at {@code index}, in a map at
   * {@code key} (when not null); returns it.
   */
  AbstractType createNested(int kind, int index, String key) {
    checkAlive();
    checkNestable();
    boolean outer = doc.begin(null, true);
    try {
      Item it = key == null ? insertRun(index, Item.TYPE, null, 1)
          : doc.newLocalItem(Item.TYPE, null, 1, this, key, map.get(key), null);
      it.content = doc.newType(kind, null, it, depth + 1);
      return (AbstractType) it.content;
    } finally {
      if (outer) {
        doc.end();
      }
    }
  }

  /** Deletes {@code n} visible units from {@code index}. */
  void deleteRange(int index, int n) {
    if (n == 0) {
      return;
    }
    Item it = seek(index);
    int off = index - doc.seekIndex;
    if (off > 0) {
      doc.split(it, off);
      it = it.right;
    }
    int left = n;
    while (left > 0) {
      if (!it.deleted && it.liveLen() > 0) {
        if (it.len > left) {
          doc.split(it, left);
        }
        left -= it.len;
        doc.deleteItem(it);
      }
      it = it.right;
    }
    markDeleted(index, n);
  }

  /** Appends the visible values of a list to {@code out} (types as instances). */
  void collectValues(ArrayList<Object> out) {
    for (Item it = start; it != null; it = it.right) {
      if (it.liveLen() > 0) {
        for (int k = 0; k < it.len; k++) {
          out.add(it.valueAt(k));
        }
      }
    }
  }
}
