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
    DeltaBuilder b = new DeltaBuilder(type.kind == AbstractType.TEXT);
    for (Item it = type.start; it != null; it = it.right) {
      if (it.kind == Item.GC || it.kind == Item.COUNTER) {
        continue;
      }
      // a run may be partly new: typing extends the run in place
      int newFrom = it.len;
      if (t.before.has(it.client)) {
        newFrom = Math.max(0, Math.min(it.len, t.before.get(it.client) - it.clock));
      }
      if (newFrom > 0) {
        if (it.deleted && t.ds.contains(it.client, it.clock)) {
          b.add("delete", it, 0, newFrom);
        } else if (it.liveLen() > 0) {
          b.add("retain", it, 0, newFrom);
        }
      }
      if (newFrom < it.len && it.liveLen() > 0) {
        b.add("insert", it, newFrom, it.len);
      }
    }
    return b.finish();
  }

  /** Joins consecutive steps of one kind. */
  private static final class DeltaBuilder {
    private final boolean text;
    private final ArrayList<Delta> out = new ArrayList<>();
    private String op;
    private int count;
    private StringBuilder chars;
    private ArrayList<Object> vals;

    DeltaBuilder(boolean text) {
      this.text = text;
    }

    void add(String next, Item it, int from, int to) {
      if (!next.equals(op)) {
        flush();
        op = next;
        count = 0;
        chars = null;
        vals = null;
        if (next.equals("insert")) {
          if (text) {
            chars = new StringBuilder();
          } else {
            vals = new ArrayList<>();
          }
        }
      }
      count += to - from;
      if (chars != null) {
        chars.append((CharSequence) it.content, from, to);
      } else if (vals != null) {
        for (int k = from; k < to; k++) {
          vals.add(it.valueAt(k));
        }
      }
    }

    private void flush() {
      if (op != null) {
        Object ins = chars != null ? chars.toString() : vals != null ? Collections.unmodifiableList(vals) : null;
        out.add(new Delta(op, count, ins));
      }
    }

    List<Delta> finish() {
      if (!"retain".equals(op)) {
        flush();
      }
      return Collections.unmodifiableList(out);
    }
  }
}
