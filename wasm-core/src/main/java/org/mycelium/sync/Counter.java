package org.mycelium.sync;

import java.util.Arrays;

/**
 * A shared number that every replica may add to. Each transaction's increments become one
 * item; the value sums each client's items in clock order, then the clients in ascending
 * order, so that every replica adds the same doubles in the same order.
 */
public final class Counter extends AbstractType {
  private int[] clients = new int[2]; // ascending
  private double[] sums = new double[2]; // sums[i]: all increments of clients[i], in clock order
  private int n;
  Item txItem; // this replica's increment item in the open transaction, or null
  private double txBase; // this replica's sum before txItem

  Counter(Doc doc, String name) {
    super(doc, COUNTER, name, null, 0);
  }

  /** Adds {@code amount} (finite; negative to decrement). */
  public void increment(double amount) {
    if (Double.isNaN(amount) || Double.isInfinite(amount)) {
      throw new IllegalArgumentException("amount must be finite");
    }
    if (amount == 0) {
      return;
    }
    boolean outer = doc.begin(null, true);
    try {
      if (txItem != null) {
        double total = (Double) txItem.content + amount;
        txItem.content = total;
        int i = slot(doc.clientId());
        sums[i] = txBase + total;
        doc.tx.touch(this);
        counterDelta += amount;
      } else {
        int i = slot(doc.clientId());
        txBase = sums[i];
        txItem = doc.newLocalItem(Item.COUNTER, amount, 1, this, null, null, null);
      }
    } finally {
      if (outer) {
        doc.end();
      }
    }
  }

  /** Returns the current value. */
  public double value() {
    double v = 0;
    for (int i = 0; i < n; i++) {
      v += sums[i];
    }
    return v;
  }

  /** Adds an observer; returns a function that removes it. */
  public Runnable observe(Observer o) {
    return addObserver(o);
  }

  void integrated(Item it) {
    int i = slot(it.client);
    sums[i] += (Double) it.content;
  }

  private int slot(int client) {
    int i = Arrays.binarySearch(clients, 0, n, client);
    if (i >= 0) {
      return i;
    }
    i = -i - 1;
    if (n == clients.length) {
      clients = Arrays.copyOf(clients, n * 2);
      sums = Arrays.copyOf(sums, n * 2);
    }
    System.arraycopy(clients, i, clients, i + 1, n - i);
    System.arraycopy(sums, i, sums, i + 1, n - i);
    clients[i] = client;
    sums[i] = 0;
    n++;
    return i;
  }

  @Override
  Object json() {
    return value();
  }
}
