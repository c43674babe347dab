package org.mycelium.sync;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes one transaction made to one shared type: for text and lists a delta (retain,
 * insert, delete), for maps the keys that changed, for counters the amount added.
 */
public final class Event {
  private final Object target;
  private final Object origin;
  private final boolean local;
  private final List<Delta> delta;
  private final Map<String, KeyChange> keys;
  private final double amount;

  private Event(Object target, Transaction t, List<Delta> delta, Map<String, KeyChange> keys, double amount) {
    this.target = target;
    this.origin = t.origin;
    this.local = t.local;
    this.delta = delta;
    this.keys = keys;
    this.amount = amount;
  }

  /** Returns the shared type that changed. */
  public Object target() {
    return target;
  }

  /** Returns the origin given to the transaction or to applyUpdate. */
  public Object origin() {
    return origin;
  }

  /** Returns true when the change was made on this replica (not applied from an update). */
  public boolean local() {
    return local;
  }

  /** Returns the sequence delta (empty for maps and counters). */
  public List<Delta> delta() {
    return delta;
  }

  /** Returns the changed keys of a map in ascending order (empty for other types). */
  public Map<String, KeyChange> keys() {
    return keys;
  }

  /** Returns the amount a counter changed by (0 for other types). */
  public double amount() {
    return amount;
  }

  static Event of(AbstractType type, Transaction t, HashMap<String, Object> mapOld) {
    List<Delta> delta = Collections.emptyList();
    Map<String, KeyChange> keys = Collections.emptyMap();
    double amount = 0;
    if (type.kind == AbstractType.MAP) {
      keys = mapKeys(type, mapOld);
    } else if (type.kind == AbstractType.COUNTER) {
      amount = type.counterDelta;
    } else {
      delta = sequenceDelta(type, t);
    }
    return new Event(type, t, delta, keys, amount);
  }

  private static Map<String, KeyChange> mapKeys(AbstractType type, HashMap<String, Object> old) {
    String[] ks = old.keySet().toArray(new String[0]);
    Arrays.sort(ks);
    LinkedHashMap<String, KeyChange> out = new LinkedHashMap<>();
    for (String k : ks) {
      Object before = old.get(k);
      Item it = type.map.get(k);
      boolean now = it != null && !it.deleted;
      if (before == Transaction.ABSENT) {
        if (now) {
          out.put(k, new KeyChange("add", null));
        }
      } else {
        out.put(k, new KeyChange(now ? "update" : "delete", before));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private static List<Delta> sequenceDelta(AbstractType type, Transaction t) {
    ArrayList<Delta> out = new ArrayList<>();
    String op = null;
    int count = 0;
    StringBuilder text = null;
    ArrayList<Object> vals = null;
    for (Item it = type.start; it != null; it = it.right) {
      if (it.kind == Item.GC || it.kind == Item.COUNTER) {
        continue;
      }
      boolean isNew = t.isNew(it);
      boolean gone = it.deleted && t.ds.contains(it.client, it.clock);
      String next;
      if (isNew) {
        if (it.deleted || it.kind == Item.DELETED) {
          continue;
        }
        next = "insert";
      } else if (gone) {
        if (it.kind == Item.DELETED && !it.deleted) {
          continue;
        }
        next = "delete";
      } else if (it.liveLen() > 0) {
        next = "retain";
      } else {
        continue;
      }
      if (!next.equals(op)) {
        flush(out, op, count, text, vals);
        op = next;
        count = 0;
        text = null;
        vals = null;
        if (next.equals("insert")) {
          if (type.kind == AbstractType.TEXT) {
            text = new StringBuilder();
          } else {
            vals = new ArrayList<>();
          }
        }
      }
      count += it.len;
      if (text != null) {
        text.append((StringBuilder) it.content);
      } else if (vals != null) {
        for (int k = 0; k < it.len; k++) {
          vals.add(it.valueAt(k));
        }
      }
    }
    if (!"retain".equals(op)) {
      flush(out, op, count, text, vals);
    }
    return Collections.unmodifiableList(out);
  }

  private static void flush(ArrayList<Delta> out, String op, int count, StringBuilder text, ArrayList<Object> vals) {
    if (op == null) {
      return;
    }
    Object ins = text != null ? text.toString() : vals != null ? Collections.unmodifiableList(vals) : null;
    out.add(new Delta(op, count, ins));
  }
}
