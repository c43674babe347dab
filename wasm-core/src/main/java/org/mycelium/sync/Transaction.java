package org.mycelium.sync;

import java.util.ArrayList;
import java.util.HashMap;

/**
 * What one outermost transaction changed: the clock each client had before its first new item,
 * the ids it deleted, the items it added and deleted, the types it touched (with the old value
 * of each touched map key) and the counter amounts. Observers and the update are built from it
 * when the transaction ends.
 */
final class Transaction {
  /** Marks a map key that had no value before the transaction. */
  static final Object ABSENT = new Object();

  final Object origin;
  final boolean local;
  final StateVector before = new StateVector(); // only clients that advanced in this transaction
  final DeleteSet ds = new DeleteSet(); // ids newly deleted in this transaction
  final ArrayList<Item> added = new ArrayList<>();
  final ArrayList<Item> deleted = new ArrayList<>();
  final ArrayList<Item> splits = new ArrayList<>(); // right parts of splits, to merge back if they can
  final ArrayList<AbstractType> changed = new ArrayList<>(2); // touched types, first-touch order
  // for each map in changed (same position, null for other kinds): key -> value before
  final ArrayList<HashMap<String, Object>> mapOld = new ArrayList<>(2);

  Transaction(Object origin, boolean local) {
    this.origin = origin;
    this.local = local;
  }

  /** Notes that {@code t} changed; returns its index in {@link #changed}. */
  int touch(AbstractType t) {
    if (t.touchedBy != this) {
      t.touchedBy = this;
      t.touchIndex = changed.size();
      t.counterDelta = 0;
      t.touchObserved = t.observed();
      changed.add(t);
      mapOld.add(t.kind == AbstractType.MAP ? new HashMap<>() : null);
    }
    return t.touchIndex;
  }

  /**
   * Records the value a map key had before this transaction (first call per key wins), for the
   * map's event. A remote update runs no user code while it integrates, so when nobody listens
   * to the map at that point, nobody can hear of the key and it is not recorded (loading a big
   * map then builds no table of old values).
   */
  void touchKey(AbstractType map, String key, Item current) {
    HashMap<String, Object> old = mapOld.get(touch(map));
    if (!local && !map.touchObserved) {
      return;
    }
    if (!old.containsKey(key)) {
      old.put(key, current == null || current.deleted ? ABSENT : current.valueAt(0));
    }
  }
}
