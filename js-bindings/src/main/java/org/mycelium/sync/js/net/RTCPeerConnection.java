package org.mycelium.sync.js.net;

import org.teavm.jso.JSBody;
import org.teavm.jso.JSClass;
import org.teavm.jso.JSObject;
import org.teavm.jso.JSProperty;
import org.teavm.jso.core.JSPromise;
import org.teavm.jso.dom.events.Event;
import org.teavm.jso.dom.events.EventListener;

/**
 * The browser's RTCPeerConnection, as much of it as the WebRTC mesh uses. Descriptions and
 * candidates stay opaque JS objects: they go to the signaling server as JSON and come back.
 */
@JSClass
public class RTCPeerConnection implements JSObject {
  /** Creates a connection; {@code config} is {@code {iceServers: [...]}}. */
  public RTCPeerConnection(JSObject config) {
  }

  /**
   * Returns true where WebRTC data channels really work. HtmlUnit defines RTCPeerConnection
   * as an empty stub, so the test is for createDataChannel on the prototype.
   */
  @JSBody(script = "return typeof RTCPeerConnection === 'function'"
      + " && typeof RTCPeerConnection.prototype.createDataChannel === 'function';")
  public static native boolean isSupported();

  /** Opens a data channel; {@code options} such as {@code {ordered: true}}. */
  public native RTCDataChannel createDataChannel(String label, JSObject options);

  public native JSPromise<JSObject> createOffer();

  public native JSPromise<JSObject> createAnswer();

  public native JSPromise<JSObject> setLocalDescription(JSObject description);

  public native JSPromise<JSObject> setRemoteDescription(JSObject description);

  public native JSPromise<JSObject> addIceCandidate(JSObject candidate);

  @JSProperty
  public native JSObject getLocalDescription();

  /** "new", "connecting", "connected", "disconnected", "failed" or "closed". */
  @JSProperty
  public native String getConnectionState();

  public native void close();

  @JSProperty("onicecandidate")
  public native void setOnIceCandidate(EventListener<IceCandidateEvent> listener);

  @JSProperty("ondatachannel")
  public native void setOnDataChannel(EventListener<DataChannelEvent> listener);

  @JSProperty("onconnectionstatechange")
  public native void setOnConnectionStateChange(EventListener<Event> listener);

  /** A local ICE candidate, or null when gathering is complete. */
  public interface IceCandidateEvent extends Event {
    @JSProperty
    JSObject getCandidate();
  }

  /** A data channel that the remote side opened. */
  public interface DataChannelEvent extends Event {
    @JSProperty
    RTCDataChannel getChannel();
  }
}
