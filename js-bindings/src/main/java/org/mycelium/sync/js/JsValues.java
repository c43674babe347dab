package org.mycelium.sync.js;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.teavm.jso.JSBody;
import org.teavm.jso.JSObject;
import org.teavm.jso.core.JSArray;
import org.teavm.jso.core.JSBoolean;
import org.teavm.jso.core.JSNumber;
import org.teavm.jso.core.JSObjects;
import org.teavm.jso.core.JSString;

/**
 * Converts JSON values between JavaScript and the engine's Java form (null, Boolean, Double,
 * String, List, Map). The glue has already checked that a value is JSON (no undefined, NaN,
 * functions, cycles or class instances), so this only translates.
 */
final class JsValues {
  private JsValues() {
  }

  @JSBody(params = "v", script = "return v === null || v === undefined;")
  static native boolean isNullish(JSObject v);

  @JSBody(params = "v", script = "return typeof v;")
  static native String typeOf(JSObject v);

  @JSBody(params = {"o", "k"}, script = "return o[k];")
  static native JSObject getProperty(JSObject o, String k);

  @JSBody(params = {"o", "k", "v"}, script = "o[k] = v;")
  static native void setProperty(JSObject o, String k, JSObject v);

  @JSBody(script = "return undefined;")
  static native JSObject undefined();

  /** Returns the Java form of a JS JSON value. */
  static Object fromJs(JSObject v) {
    if (isNullish(v)) {
      return null;
    }
    switch (typeOf(v)) {
      case "string":
        return ((JSString) v).stringValue();
      case "number":
        return ((JSNumber) v).doubleValue();
      case "boolean":
        return ((JSBoolean) v).booleanValue();
      default:
        break;
    }
    if (JSArray.isArray(v)) {
      JSArray<JSObject> a = (JSArray<JSObject>) v;
      int n = a.getLength();
      List<Object> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(fromJs(a.get(i)));
      }
      return out;
    }
    String[] keys = JSObjects.keys(v);
    Map<String, Object> out = new HashMap<>();
    for (String k : keys) {
      out.put(k, fromJs(getProperty(v, k)));
    }
    return out;
  }

  /** Returns the elements of a JS array of JSON values in Java form. */
  static Object[] arrayFromJs(JSArray<JSObject> a) {
    int n = a.getLength();
    Object[] out = new Object[n];
    for (int i = 0; i < n; i++) {
      out[i] = fromJs(a.get(i));
    }
    return out;
  }

  /** Returns the JS form of a Java JSON value (shared types must be resolved by the caller). */
  @SuppressWarnings("unchecked")
  static JSObject toJs(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof String) {
      return JSString.valueOf((String) v);
    }
    if (v instanceof Double) {
      return JSNumber.valueOf((Double) v);
    }
    if (v instanceof Boolean) {
      return JSBoolean.valueOf((Boolean) v);
    }
    if (v instanceof Number) {
      return JSNumber.valueOf(((Number) v).doubleValue());
    }
    if (v instanceof List) {
      List<Object> list = (List<Object>) v;
      JSArray<JSObject> out = JSArray.create(list.size());
      for (int i = 0; i < list.size(); i++) {
        out.set(i, toJs(list.get(i)));
      }
      return out;
    }
    if (v instanceof Map) {
      JSObject out = JSObjects.create();
      for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) {
        setProperty(out, e.getKey(), toJs(e.getValue()));
      }
      return out;
    }
    throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
  }
}
