package org.mycelium.sync;

import java.util.Arrays;

/**
 * The items of one client, sorted by clock and contiguous from clock 0, so that the item
 * holding an id is found by binary search and the next clock is the end of the last item.
 */
final class ClientStructs {
  final int client;
  Item[] items = new Item[8]; // items[0..size) sorted by clock, no gaps
  int size;

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
   * Tries the last item (appends), then a guess proportional to the clock, then bisects.
   */
  int find(int clock) {
    int hi = size - 1;
    Item last = items[hi];
    if (clock >= last.clock) {
      return hi;
    }
    int lo = 0;
    int mid = (int) ((double) clock / (last.clock + last.len) * hi);
    while (lo <= hi) {
      Item m = items[mid];
      if (m.clock <= clock) {
        if (clock < m.clock + m.len) {
          return mid;
        }
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
      mid = (lo + hi) >>> 1;
    }
    return lo < size ? lo : size - 1;
  }

  void add(Item it) {
    insertAt(size, it);
  }

  void insertAt(int i, Item it) {
    if (size == items.length) {
      items = Arrays.copyOf(items, size * 2);
    }
    System.arraycopy(items, i, items, i + 1, size - i);
    items[i] = it;
    size++;
  }

  void removeAt(int i) {
    System.arraycopy(items, i + 1, items, i, size - i - 1);
    items[--size] = null;
  }
}
