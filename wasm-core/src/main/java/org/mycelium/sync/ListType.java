package org.mycelium.sync;

import java.util.ArrayList;
import java.util.List;

/**
 * A shared list of JSON values and nested shared types. {@link #get} returns nested types as
 * their instances; {@link #toJSON} returns them as their JSON.
 */
public final class ListType extends AbstractType {
  ListType(Doc doc, String name, Item item, int depth) {
    super(doc, LIST, name, item, depth);
  }

  /** Inserts JSON values at {@code index} (0..length). */
  public void insert(int index, Object... values) {
    if (values == null) {
      throw new IllegalArgumentException("values is null");
    }
    Object[] norm = new Object[values.length];
    for (int i = 0; i < norm.length; i++) {
      norm[i] = Json.normalize(values[i]);
    }
    checkAlive();
    checkRange(index, 0, length);
    if (norm.length == 0) {
      return;
    }
    boolean outer = doc.begin(null, true);
    try {
      insertRun(index, Item.JSON, norm, norm.length);
    } finally {
      if (outer) {
        doc.end();
      }
    }
  }

  /** Appends JSON values at the end. */
  public void push(Object... values) {
    insert(length, values);
  }

  /** Deletes {@code length} elements from {@code index}. */
  public void delete(int index, int length) {
    deleteChecked(index, length);
  }

  /** Returns the element at {@code index}: a JSON value or a nested shared type. */
  public Object get(int index) {
    if (index < 0 || index >= length) {
      throw new IndexOutOfBoundsException("index " + index + " outside 0.." + length);
    }
    Item it = seek(index);
    return it.valueAt(index - doc.seekIndex);
  }

  /** Returns the number of elements. */
  public int length() {
    return length;
  }

  /** Returns the elements as JSON (nested types as their JSON). */
  public List<Object> toJSON() {
    return Json.toJsonList(toArray());
  }

  /** Returns the elements (nested types as their instances). */
  public List<Object> toArray() {
    ArrayList<Object> out = new ArrayList<>(length);
    collectValues(out);
    return out;
  }

  /** Inserts a new nested map at {@code index} and returns it. */
  public MapType insertMap(int index) {
    return (MapType) insertType(index, MAP);
  }

  /** Inserts a new nested list at {@code index} and returns it. */
  public ListType insertList(int index) {
    return (ListType) insertType(index, LIST);
  }

  /** Inserts a new nested text at {@code index} and returns it. */
  public Text insertText(int index) {
    return (Text) insertType(index, TEXT);
  }

  private AbstractType insertType(int index, int kind) {
    checkRange(index, 0, length);
    return createNested(kind, index, null);
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
