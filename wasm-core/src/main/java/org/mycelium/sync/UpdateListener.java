package org.mycelium.sync;

/** Hears of the update each transaction produced, to send it to other replicas. */
public interface UpdateListener {
  /** Called once per transaction that changed the document, with its update and origin. */
  void onUpdate(byte[] update, Object origin);
}
