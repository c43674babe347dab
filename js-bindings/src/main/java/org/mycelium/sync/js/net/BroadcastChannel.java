package org.mycelium.sync.js.net;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSClass;
import org.teavm.jso.JSObject;
import org.teavm.jso.JSProperty;
import org.teavm.jso.dom.events.EventListener;
import org.teavm.jso.dom.events.MessageEvent;

/** The browser's BroadcastChannel: messages between tabs and workers of one origin. */
@JSClass
public class BroadcastChannel implements JSObject {
  /** Joins the channel {@code name}. */
  public BroadcastChannel(String name) {
  }

  /** Returns true where the platform has BroadcastChannel. */
  @JSBody(script = "return typeof BroadcastChannel === 'function';")
  public static native boolean isSupported();

  @JSProperty
  public native String getName();

  /** Sends a structured-clonable value (the providers send Uint8Array). */
  public native void postMessage(JSObject message);

  public native void close();

  @JSProperty("onmessage")
  public native void setOnMessage(EventListener<MessageEvent> listener);
}
