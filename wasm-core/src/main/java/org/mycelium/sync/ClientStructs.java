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

  /** Returns the index of the item holding {@code clock}; requires 0 &lt;= clock &lt; state(). */
  int find(int clock) {
    int lo = 0;
    int hi = size - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (items[mid].clock <= clock) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
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
