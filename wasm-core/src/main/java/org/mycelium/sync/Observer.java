package org.mycelium.sync;

/** Hears of the changes a transaction made to one shared type. */
public interface Observer {
  /** Called once per transaction that changed the observed type, after the transaction ends. */
  void onChange(Event e);
}
