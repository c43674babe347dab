package org.mycelium.sync;

import java.util.Arrays;

/** A growable list of ints without boxing. */
public final class IntList {
  private int[] items = new int[4];
  private int size;

  /** Appends a value. */
  public void add(int v) {
    if (size == items.length) {
      items = Arrays.copyOf(items, size * 2);
    }
    items[size++] = v;
  }

  /** Returns the number of values. */
  public int size() {
    return size;
  }

  /** Returns the value at {@code i}. */
  public int get(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("index " + i + " of " + size);
    }
    return items[i];
  }

  /** Returns the values as a new sorted array. */
  public int[] sorted() {
    int[] out = Arrays.copyOf(items, size);
    Arrays.sort(out);
    return out;
  }
}
