package org.mycelium.sync;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A shared map from string keys to JSON values and nested shared types. Concurrent sets of one
 * key resolve to the same value everywhere (the last in YATA order, concurrent writers ordered
 * by client id).
 */
public final class MapType extends AbstractType {
  MapType(Doc doc, String name, Item item, int depth) {
    super(doc, MAP, name, item, depth);
  }

  /** Sets {@code key} to a JSON value. */
  public void set(String key, Object value) {
    String k = checkKey(key);
    Object v = Json.normalize(value);
    checkAlive();
    boolean outer = doc.begin(null, true);
    try {
      put(k, Item.JSON, v);
    } finally {
      if (outer) {
        doc.end();
      }
    }
  }

  private static String checkKey(String key) {
    if (key == null) {
      throw new IllegalArgumentException("key is null");
    }
    return Json.sanitize(key);
  }

  private Item put(String key, byte kind, Object content) {
    Item left = map.get(key);
    return doc.newLocalItem(kind, content, 1, this, key, left, null);
  }

  /** Returns the value of {@code key} (a JSON value or a nested type), or null. */
  public Object get(String key) {
    Item it = map.get(checkKey(key));
    return it == null || it.deleted ? null : it.valueAt(0);
  }

  /** Removes {@code key}; does nothing when it has no value. */
  public void delete(String key) {
    String k = checkKey(key);
    checkAlive();
    Item it = map.get(k);
    if (it == null || it.deleted) {
      return;
    }
    boolean outer = doc.begin(null, true);
    try {
      doc.deleteItem(it);
    } finally {
      if (outer) {
        doc.end();
      }
    }
  }

  /** Returns true when {@code key} has a value. */
  public boolean has(String key) {
    Item it = map.get(checkKey(key));
    return it != null && !it.deleted;
  }

  /** Returns the keys that have values, in ascending order. */
  public List<String> keys() {
    ArrayList<String> out = new ArrayList<>();
    for (Item it : map.slots()) {
      if (it != null && !it.deleted) {
        out.add(it.parentSub);
      }
    }
    String[] a = out.toArray(new String[0]);
    Arrays.sort(a);
    return Arrays.asList(a);
  }

  /** Returns the number of keys that have values. */
  public int size() {
    int n = 0;
    for (Item it : map.slots()) {
      if (it != null && !it.deleted) {
        n++;
      }
    }
    return n;
  }

  /** Returns the entries as JSON, keys in ascending order. */
  public Map<String, Object> toJSON() {
    LinkedHashMap<String, Object> out = new LinkedHashMap<>();
    for (String k : keys()) {
      out.put(k, Json.toJson(map.get(k).valueAt(0)));
    }
    return out;
  }

  /** Sets {@code key} to a new nested map and returns it. */
  public MapType setMap(String key) {
    return (MapType) setType(key, MAP);
  }

  /** Sets {@code key} to a new nested list and returns it. */
  public ListType setList(String key) {
    return (ListType) setType(key, LIST);
  }

  /** Sets {@code key} to a new nested text and returns it. */
  public Text setText(String key) {
    return (Text) setType(key, TEXT);
  }

  private AbstractType setType(String key, int kind) {
    return createNested(kind, 0, checkKey(key));
  }

  /** Adds an observer; returns a function that removes it. */
  public Runnable observe(Observer o) {
    return addObserver(o);
  }

  /**
   * Adds an observer of this type and every type nested in it: it hears each changed type's
   * event ({@link Event#target()} says which), once per transaction; returns its remover.
   */
  public Runnable observeDeep(Observer o) {
    return addDeepObserver(o);
  }

  @Override
  Object json() {
    return toJSON();
  }
}
