package org.mycelium.sync;

import java.util.HashSet;

/**
 * A set of items by identity for the YATA conflict scan: a short array while small (the usual
 * case: a handful of concurrent runs at one place), a hash set once it grows.
 */
final class ItemSet {
  private static final int SMALL = 16;

  private Item[] small = new Item[SMALL]; // first n used while big is null
  private int n;
  private HashSet<Item> big;

  void add(Item it) {
    if (big != null) {
      big.add(it);
    } else if (n < SMALL) {
      small[n++] = it;
    } else {
      big = new HashSet<>();
      for (int i = 0; i < n; i++) {
        big.add(small[i]);
      }
      big.add(it);
    }
  }

  boolean contains(Item it) {
    if (big != null) {
      return big.contains(it);
    }
    for (int i = 0; i < n; i++) {
      if (small[i] == it) {
        return true;
      }
    }
    return false;
  }

  void clear() {
    big = null;
    for (int i = 0; i < n; i++) {
      small[i] = null;
    }
    n = 0;
  }
}
