package org.mycelium.sync.js;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mycelium.sync.Awareness;
import org.mycelium.sync.Counter;
import org.mycelium.sync.Delta;
import org.mycelium.sync.Doc;
import org.mycelium.sync.Event;
import org.mycelium.sync.KeyChange;
import org.mycelium.sync.ListType;
import org.mycelium.sync.MapType;
import org.mycelium.sync.Text;
import org.mycelium.sync.js.provider.JWebrtcProvider;
import org.teavm.jso.JSExport;
import org.teavm.jso.JSObject;
import org.teavm.jso.JSProperty;
import org.teavm.jso.core.JSArray;
import org.teavm.jso.core.JSBoolean;
import org.teavm.jso.core.JSNumber;
import org.teavm.jso.core.JSObjects;
import org.teavm.jso.core.JSString;
import org.teavm.jso.typedarrays.Uint8Array;

/** The raw export of a {@link Doc}; the glue's MyceliumSync.Doc wraps it with argument checks. */
public final class JDoc {
  final Doc doc;
  private final Map<Object, Object> wrappers = new HashMap<>(); // engine type -> its J* export
  private Awareness awareness; // the presence of this doc's providers, one after another; null before the first

  /** Creates a doc; the glue has checked that clientId is in [0, 2^31). */
  @JSExport
  public JDoc(int clientId, boolean keepDeleted) {
    doc = new Doc(clientId, keepDeleted);
  }

  /** Starts a WebRTC provider on this doc; the glue has checked and completed the options. */
  @JSExport
  public JWebrtcProvider webrtcProvider(JSObject options, JWebrtcProvider.EventFn events) {
    if (awareness == null) {
      awareness = new Awareness(doc.clientId());
    }
    return new JWebrtcProvider(doc, awareness, options, events);
  }

  @JSExport
  @JSProperty
  public int getClientId() {
    return doc.clientId();
  }

  @JSExport
  public JText getText(String name) {
    try {
      return text(doc.getText(name));
    } catch (RuntimeException e) {
      Errors.record(e);
      return null;
    }
  }

  @JSExport
  public JList getList(String name) {
    try {
      return list(doc.getList(name));
    } catch (RuntimeException e) {
      Errors.record(e);
      return null;
    }
  }

  @JSExport
  public JMap getMap(String name) {
    try {
      return map(doc.getMap(name));
    } catch (RuntimeException e) {
      Errors.record(e);
      return null;
    }
  }

  @JSExport
  public JCounter getCounter(String name) {
    try {
      return counter(doc.getCounter(name));
    } catch (RuntimeException e) {
      Errors.record(e);
      return null;
    }
  }

  /** Runs fn in one transaction; the glue catches JS exceptions inside fn itself. */
  @JSExport
  public void transact(Callbacks.Thunk fn, JSObject origin) {
    doc.transact(fn::call, JsOrigin.wrap(origin));
  }

  /** Registers the one listener through which the glue hears of updates. */
  @JSExport
  public void onUpdate(Callbacks.UpdateFn fn) {
    doc.onUpdate((update, origin) -> fn.call(Bytes.toJs(update), JsOrigin.unwrap(origin)));
  }

  @JSExport
  public Uint8Array encodeStateVector() {
    return Bytes.toJs(doc.encodeStateVector());
  }

  @JSExport
  public Uint8Array encodeStateAsUpdate(Uint8Array stateVector) {
    try {
      return Bytes.toJs(doc.encodeStateAsUpdate(JsValues.isNullish(stateVector) ? null : Bytes.fromJs(stateVector)));
    } catch (RuntimeException e) {
      Errors.record(e);
      return null;
    }
  }

  @JSExport
  public boolean applyUpdate(Uint8Array update, JSObject origin) {
    try {
      doc.applyUpdate(Bytes.fromJs(update), JsOrigin.wrap(origin));
      return true;
    } catch (RuntimeException e) {
      Errors.record(e);
      return false;
    }
  }

  @JSExport
  public boolean hasPending() {
    return doc.hasPending();
  }

  @JSExport
  public JSObject toJSON() {
    return JsValues.toJs(doc.toJSON());
  }

  // ---- one export object per engine type, so that JS sees stable identities ----

  JText text(Text t) {
    Object w = wrappers.get(t);
    if (w == null) {
      w = new JText(t);
      wrappers.put(t, w);
    }
    return (JText) w;
  }

  JList list(ListType l) {
    Object w = wrappers.get(l);
    if (w == null) {
      w = new JList(this, l);
      wrappers.put(l, w);
    }
    return (JList) w;
  }

  JMap map(MapType m) {
    Object w = wrappers.get(m);
    if (w == null) {
      w = new JMap(this, m);
      wrappers.put(m, w);
    }
    return (JMap) w;
  }

  JCounter counter(Counter c) {
    Object w = wrappers.get(c);
    if (w == null) {
      w = new JCounter(c);
      wrappers.put(c, w);
    }
    return (JCounter) w;
  }

  /** The kind of a value as the glue's accessors name it: -1 JSON, 0 text, 1 list, 2 map, 3 counter. */
  static int kindOf(Object v) {
    if (v instanceof Text) {
      return 0;
    }
    if (v instanceof ListType) {
      return 1;
    }
    if (v instanceof MapType) {
      return 2;
    }
    if (v instanceof Counter) {
      return 3;
    }
    return -1;
  }

  /** A value for JS: JSON as is, a shared type as undefined (the glue then asks for the type). */
  static JSObject valueOrUndefined(Object v) {
    return kindOf(v) >= 0 ? JsValues.undefined() : JsValues.toJs(v);
  }

  /** A value for JS where nested types appear as their JSON (deltas and old values). */
  static JSObject snapshot(Object v) {
    if (v instanceof Text) {
      return JSString.valueOf(((Text) v).toString());
    }
    if (v instanceof ListType) {
      return JsValues.toJs(((ListType) v).toJSON());
    }
    if (v instanceof MapType) {
      return JsValues.toJs(((MapType) v).toJSON());
    }
    if (v instanceof Counter) {
      return JSNumber.valueOf(((Counter) v).value());
    }
    if (v instanceof List) {
      List<?> list = (List<?>) v;
      JSArray<JSObject> out = JSArray.create(list.size());
      for (int i = 0; i < list.size(); i++) {
        out.set(i, snapshot(list.get(i)));
      }
      return out;
    }
    return JsValues.toJs(v);
  }

  /** Builds the JS event object: {delta, keys, origin, local}. */
  static JSObject event(Event e) {
    JSObject out = JSObjects.create();
    Object target = e.target();
    if (target instanceof Counter) {
      JsValues.setProperty(out, "delta", JSNumber.valueOf(e.amount()));
    } else if (target instanceof MapType) {
      JSObject keys = JSObjects.create();
      for (Map.Entry<String, KeyChange> k : e.keys().entrySet()) {
        JSObject change = JSObjects.create();
        JsValues.setProperty(change, "action", JSString.valueOf(k.getValue().action()));
        if (!k.getValue().action().equals("add")) {
          JsValues.setProperty(change, "oldValue", snapshot(k.getValue().oldValue()));
        }
        JsValues.setProperty(keys, k.getKey(), change);
      }
      JsValues.setProperty(out, "keys", keys);
    } else {
      List<Delta> delta = e.delta();
      JSArray<JSObject> ops = JSArray.create(delta.size());
      for (int i = 0; i < delta.size(); i++) {
        Delta d = delta.get(i);
        JSObject op = JSObjects.create();
        if (d.insert() != null) {
          JsValues.setProperty(op, "insert", snapshot(d.insert()));
        } else {
          JsValues.setProperty(op, d.op(), JSNumber.valueOf(d.count()));
        }
        ops.set(i, op);
      }
      JsValues.setProperty(out, "delta", ops);
    }
    JsValues.setProperty(out, "origin", JsOrigin.unwrap(e.origin()));
    JsValues.setProperty(out, "local", JSBoolean.valueOf(e.local()));
    return out;
  }
}
