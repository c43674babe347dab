package org.mycelium.sync.js;

import org.teavm.jso.JSObject;

/**
 * A transaction origin that came from JavaScript. The engine compares origins as Java objects;
 * a JS value is wrapped once per call so that the engine never holds a bare JS reference, and
 * unwrapped when it goes back out in events.
 */
final class JsOrigin {
  final JSObject value;

  JsOrigin(JSObject value) {
    this.value = value;
  }

  static Object wrap(JSObject value) {
    return JsValues.isNullish(value) ? null : new JsOrigin(value);
  }

  static JSObject unwrap(Object origin) {
    return origin instanceof JsOrigin ? ((JsOrigin) origin).value : null;
  }
}
