package org.mycelium.sync.js;

import org.mycelium.sync.Counter;
import org.mycelium.sync.ListType;
import org.mycelium.sync.MapType;
import org.mycelium.sync.Text;
import org.teavm.jso.JSExport;
import org.teavm.jso.JSObject;
import org.teavm.jso.JSProperty;
import org.teavm.jso.core.JSArray;

/** The raw export of a {@link ListType}; the glue has checked every argument. */
public final class JList {
  private final JDoc doc;
  private final ListType list;

  JList(JDoc doc, ListType list) {
    this.doc = doc;
    this.list = list;
  }

  /** Inserts JSON values; false (with the error recorded) when the engine refuses one. */
  @JSExport
  public boolean insert(int index, JSArray<JSObject> values) {
    try {
      list.insert(index, JsValues.arrayFromJs(values));
      return true;
    } catch (RuntimeException e) {
      Errors.record(e);
      return false;
    }
  }

  @JSExport
  public void delete(int index, int length) {
    list.delete(index, length);
  }

  @JSExport
  @JSProperty
  public int getLength() {
    return list.length();
  }

  /** The JSON value at index, or undefined when it is a shared type (see kindAt). */
  @JSExport
  public JSObject get(int index) {
    return JDoc.valueOrUndefined(list.get(index));
  }

  @JSExport
  public int kindAt(int index) {
    return JDoc.kindOf(list.get(index));
  }

  @JSExport
  public JText textAt(int index) {
    return doc.text((Text) list.get(index));
  }

  @JSExport
  public JList listAt(int index) {
    return doc.list((ListType) list.get(index));
  }

  @JSExport
  public JMap mapAt(int index) {
    return doc.map((MapType) list.get(index));
  }

  @JSExport
  public JCounter counterAt(int index) {
    return doc.counter((Counter) list.get(index));
  }

  @JSExport
  public JMap insertMap(int index) {
    return doc.map(list.insertMap(index));
  }

  @JSExport
  public JList insertList(int index) {
    return doc.list(list.insertList(index));
  }

  @JSExport
  public JText insertText(int index) {
    return doc.text(list.insertText(index));
  }

  @JSExport
  public JSObject toJSON() {
    return JsValues.toJs(list.toJSON());
  }

  @JSExport
  public void observe(Callbacks.EventFn fn) {
    list.observe(e -> fn.call(JDoc.event(e)));
  }
}
