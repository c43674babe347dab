package org.mycelium.sync.js.net;

import org.teavm.jso.JSObject;
import org.teavm.jso.JSProperty;
import org.teavm.jso.dom.events.Event;
import org.teavm.jso.dom.events.EventListener;
import org.teavm.jso.dom.events.MessageEvent;
import org.teavm.jso.typedarrays.ArrayBufferView;

/** One data channel of an RTCPeerConnection; the providers open it reliable and ordered. */
public interface RTCDataChannel extends JSObject {
  @JSProperty
  String getLabel();

  /** "connecting", "open", "closing" or "closed". */
  @JSProperty
  String getReadyState();

  @JSProperty
  int getBufferedAmount();

  @JSProperty
  void setBufferedAmountLowThreshold(int bytes);

  @JSProperty
  void setBinaryType(String type);

  void send(ArrayBufferView bytes);

  void close();

  @JSProperty("onopen")
  void setOnOpen(EventListener<Event> listener);

  @JSProperty("onmessage")
  void setOnMessage(EventListener<MessageEvent> listener);

  @JSProperty("onclose")
  void setOnClose(EventListener<Event> listener);

  @JSProperty("onerror")
  void setOnError(EventListener<Event> listener);

  @JSProperty("onbufferedamountlow")
  void setOnBufferedAmountLow(EventListener<Event> listener);
}
