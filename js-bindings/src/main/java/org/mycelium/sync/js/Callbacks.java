package org.mycelium.sync.js;

import org.teavm.jso.JSFunctor;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Uint8Array;

/** The JavaScript functions that the engine calls back. */
final class Callbacks {
  private Callbacks() {
  }

  /** {@code (update, origin) => void}, once per transaction. */
  @JSFunctor
  interface UpdateFn extends JSObject {
    void call(Uint8Array update, JSObject origin);
  }

  /** {@code (event) => void}, once per transaction that changed the observed type. */
  @JSFunctor
  interface EventFn extends JSObject {
    void call(JSObject event);
  }

  /** {@code () => void}: the body of a transaction. */
  @JSFunctor
  interface Thunk extends JSObject {
    void call();
  }
}
