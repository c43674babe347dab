package org.mycelium.sync;

/** What happened to one map key in a transaction. */
public final class KeyChange {
  private final String action;
  private final Object oldValue;

  KeyChange(String action, Object oldValue) {
    this.action = action;
    this.oldValue = oldValue;
  }

  /** Returns "add", "update" or "delete". */
  public String action() {
    return action;
  }

  /** Returns the value before the transaction (null for "add"). */
  public Object oldValue() {
    return oldValue;
  }
}
