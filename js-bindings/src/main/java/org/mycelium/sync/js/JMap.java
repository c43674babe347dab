package org.mycelium.sync.js;

import java.util.List;
import org.mycelium.sync.Counter;
import org.mycelium.sync.ListType;
import org.mycelium.sync.MapType;
import org.mycelium.sync.Text;
import org.teavm.jso.JSExport;
import org.teavm.jso.JSObject;
import org.teavm.jso.JSProperty;
import org.teavm.jso.core.JSArray;
import org.teavm.jso.core.JSString;

/** The raw export of a {@link MapType}; the glue has checked every argument. */
public final class JMap {
  private final JDoc doc;
  private final MapType map;

  JMap(JDoc doc, MapType map) {
    this.doc = doc;
    this.map = map;
  }

  /** Sets a JSON value; false (with the error recorded) when the engine refuses it. */
  @JSExport
  public boolean set(String key, JSObject value) {
    try {
      map.set(key, JsValues.fromJs(value));
      return true;
    } catch (RuntimeException e) {
      Errors.record(e);
      return false;
    }
  }

  /** The JSON value of key, or undefined when missing or a shared type (see kindOf). */
  @JSExport
  public JSObject get(String key) {
    return map.has(key) ? JDoc.valueOrUndefined(map.get(key)) : JsValues.undefined();
  }

  @JSExport
  public int kindOf(String key) {
    return JDoc.kindOf(map.get(key));
  }

  @JSExport
  public JText textOf(String key) {
    return doc.text((Text) map.get(key));
  }

  @JSExport
  public JList listOf(String key) {
    return doc.list((ListType) map.get(key));
  }

  @JSExport
  public JMap mapOf(String key) {
    return doc.map((MapType) map.get(key));
  }

  @JSExport
  public JCounter counterOf(String key) {
    return doc.counter((Counter) map.get(key));
  }

  @JSExport
  public void delete(String key) {
    map.delete(key);
  }

  @JSExport
  public boolean has(String key) {
    return map.has(key);
  }

  @JSExport
  public JSArray<JSString> keys() {
    List<String> keys = map.keys();
    JSArray<JSString> out = JSArray.create(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      out.set(i, JSString.valueOf(keys.get(i)));
    }
    return out;
  }

  @JSExport
  @JSProperty
  public int getSize() {
    return map.size();
  }

  @JSExport
  public JMap setMap(String key) {
    return doc.map(map.setMap(key));
  }

  @JSExport
  public JList setList(String key) {
    return doc.list(map.setList(key));
  }

  @JSExport
  public JText setText(String key) {
    return doc.text(map.setText(key));
  }

  @JSExport
  public JSObject toJSON() {
    return JsValues.toJs(map.toJSON());
  }

  @JSExport
  public void observe(Callbacks.EventFn fn) {
    map.observe(e -> fn.call(JDoc.event(e)));
  }
}
