package org.mycelium.sync;

import java.util.Arrays;

/**
 * The items of one client, sorted by clock and contiguous from clock 0, so that the item
 * holding an id is found by binary search and the next clock is the end of the last item.
 */
final class ClientStructs {
  final int client;
  Item[] items = new Item[8]; // items[0..size) sorted by clock, no gaps
  private int[] clocks = new int[8]; // clocks[i] == items[i].clock: find bisects ints, not objects
  int size;
  private int finger; // the index find returned last (a hint, checked before use)

  ClientStructs(int client) {
    this.client = client;
  }

  /** Returns the next clock this client has not produced here. */
  int state() {
    if (size == 0) {
      return 0;
    }
    Item last = items[size - 1];
    return last.clock + last.len;
  }

  /**
   * Returns the index of the item holding {@code clock}; requires 0 &lt;= clock &lt; state().
   * Tries the last item (appends), then the previous answer and its successor, then bisects.
   */
  int find(int clock) {
    int[] c = clocks;
    int hi = size - 1;
    if (clock >= c[hi]) {
      return hi;
    }
    // lookups come in streaks near one place (a run of edits, its origins, then its merges):
    // the previous answer and the one after it first
    int f = finger;
    if (f < hi && c[f] <= clock) {
      if (clock < c[f + 1]) {
        return f;
      }
      if (f + 1 < hi && clock < c[f + 2]) {
        finger = f + 1;
        return f + 1;
      }
    }
    // the last item whose clock is at most {@code clock}: c[lo] <= clock < c[hi + 1] throughout
    int lo = 0;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (c[mid] <= clock) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    finger = lo;
    return lo;
  }

  void add(Item it) {
    insertAt(size, it);
  }

  void insertAt(int i, Item it) {
    if (size == items.length) {
      items = Arrays.copyOf(items, size * 2);
      clocks = Arrays.copyOf(clocks, size * 2);
    }
    System.arraycopy(items, i, items, i + 1, size - i);
    System.arraycopy(clocks, i, clocks, i + 1, size - i);
    items[i] = it;
    clocks[i] = it.clock;
    size++;
  }

  void removeAt(int i) {
    System.arraycopy(items, i + 1, items, i, size - i - 1);
    System.arraycopy(clocks, i + 1, clocks, i, size - i - 1);
    items[--size] = null;
  }
}
