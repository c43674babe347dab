package org.mycelium.sync.js.net;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSClass;
import org.teavm.jso.JSObject;
import org.teavm.jso.JSProperty;
import org.teavm.jso.dom.events.Event;
import org.teavm.jso.dom.events.EventListener;
import org.teavm.jso.dom.events.MessageEvent;
import org.teavm.jso.typedarrays.ArrayBufferView;

/** The browser's WebSocket, as much of it as the providers use. */
@JSClass
public class WebSocket implements JSObject {
  public static final int CONNECTING = 0;
  public static final int OPEN = 1;
  public static final int CLOSING = 2;
  public static final int CLOSED = 3;

  /** Opens a connection to {@code url}. */
  public WebSocket(String url) {
  }

  /** Returns true where the platform has WebSocket. */
  @JSBody(script = "return typeof WebSocket === 'function';")
  public static native boolean isSupported();

  @JSProperty
  public native int getReadyState();

  @JSProperty
  public native int getBufferedAmount();

  /** "blob" or "arraybuffer"; the providers use "arraybuffer". */
  @JSProperty
  public native void setBinaryType(String type);

  public native void send(String text);

  public native void send(ArrayBufferView bytes);

  public native void close();

  public native void close(int code, String reason);

  @JSProperty("onopen")
  public native void setOnOpen(EventListener<Event> listener);

  @JSProperty("onmessage")
  public native void setOnMessage(EventListener<MessageEvent> listener);

  @JSProperty("onclose")
  public native void setOnClose(EventListener<CloseEvent> listener);

  @JSProperty("onerror")
  public native void setOnError(EventListener<Event> listener);

  /** The event of a closing connection. */
  public interface CloseEvent extends Event {
    @JSProperty
    int getCode();

    @JSProperty
    String getReason();

    @JSProperty
    boolean isWasClean();
  }
}
