package org.mycelium.sync.js.provider;

import org.mycelium.sync.Awareness;
import org.mycelium.sync.CreditPolicy;
import org.mycelium.sync.Doc;
import org.mycelium.sync.js.Bytes;
import org.teavm.jso.JSExport;
import org.teavm.jso.JSFunctor;
import org.teavm.jso.JSObject;
import org.teavm.jso.JSProperty;
import org.teavm.jso.core.JSArray;
import org.teavm.jso.core.JSString;
import org.teavm.jso.typedarrays.Uint8Array;

/**
 * The raw export of the WebRTC provider, made by {@code JDoc.webrtcProvider} (an exported class
 * cannot be passed back into Java, so the doc makes its own providers). The glue's
 * MyceliumSync.WebrtcProvider wraps it, checks every argument first, and turns the events into
 * the provider's and the awareness' events.
 */
public final class JWebrtcProvider {
  /** {@code (kind, data) => void}: "status", "peers", "synced", "kept", "awareness" or "debug" (a string). */
  @JSFunctor
  public interface EventFn extends JSObject {
    void call(String kind, JSObject data);
  }

  private final Provider provider;

  /**
   * Starts a provider on {@code doc} with the doc's {@code awareness} (kept across providers, so
   * that a new provider's presence clock continues where the last one's stopped and peers
   * accept it). The glue has checked and completed {@code options}:
   * {room: non-empty string, signaling: [ws(s) URLs], webrtc, tabs: booleans, maxConns >= 0,
   * connectTimeout > 0 (ms), iceServers: [RTCIceServer], keep, debug: booleans, credit: absent (no
   * accounting) or {policy rates, banMs}}.
   */
  public JWebrtcProvider(Doc doc, Awareness awareness, JSObject options, EventFn events) {
    JSArray<JSString> urls = Js.strings(options, "signaling", 4096);
    String[] list = new String[urls == null ? 0 : urls.getLength()];
    for (int i = 0; i < list.length; i++) {
      list[i] = urls.get(i).stringValue();
    }
    JSObject credit = Js.obj(options, "credit");
    provider = new Provider(Js.str(options, "room", 4096), doc, awareness, list, Js.isTrue(options, "webrtc"),
        Js.isTrue(options, "tabs"), (int) Js.num(options, "maxConns", 20), (int) Js.num(options, "connectTimeout", 5000),
        Js.obj(options, "rtc"), Js.isTrue(options, "keep"), credit == null ? null : policy(credit), credit == null ? 0 : Js.num(credit, "banMs", 60_000),
        Js.isTrue(options, "debug"), events::call);
  }

  /**
   * The credit policy from the glue's checked {@code options.credit}: the defaults, with every
   * field the page set (the glue has checked types and ranges).
   */
  static CreditPolicy policy(JSObject o) {
    CreditPolicy.Builder b = CreditPolicy.builder();
    CreditPolicy d = CreditPolicy.defaults();
    b.refillPerSecond(Js.num(o, "refillPerSecond", d.refillPerSecond()));
    b.capacity(Js.num(o, "capacity", d.capacity()));
    double initial = Js.num(o, "initialBalance", -1);
    if (initial >= 0) {
      b.initialBalance(initial);
    }
    b.costPerMessage(Js.num(o, "costPerMessage", d.costPerMessage()));
    b.costPerByte(Js.num(o, "costPerByte", d.costPerByte()));
    b.costPerOp(Js.num(o, "costPerOp", d.costPerOp()));
    b.newReward(Js.num(o, "newReward", d.newReward()));
    b.servedReward(Js.num(o, "servedReward", d.servedReward()));
    b.redundantMultiplier(Js.num(o, "redundantMultiplier", d.redundantMultiplier()));
    b.malformedPenalty(Js.num(o, "malformedPenalty", d.malformedPenalty()));
    b.violationPenalty(Js.num(o, "violationPenalty", d.violationPenalty()));
    b.debtFloor(Js.num(o, "debtFloor", d.debtFloor()));
    b.maxThrottledMs(Js.num(o, "maxThrottledMs", d.maxThrottledMs()));
    b.maxViolations((int) Js.num(o, "maxViolations", d.maxViolations()));
    return b.build();
  }

  /**
   * For tests only: sends a raw sync message to every open peer at once, past the credit gate
   * and any backoff, as a flooding or broken peer would. Returns the number of peers it went to.
   */
  @JSExport
  public int testSendRaw(Uint8Array message) {
    return provider.testSendRaw(Bytes.fromJs(message));
  }

  /** This provider's id, as other peers list it. */
  @JSExport
  @JSProperty
  public String getId() {
    return provider.id;
  }

  /** "connecting", "connected" or "disconnected". */
  @JSExport
  @JSProperty
  public String getStatus() {
    return provider.status();
  }

  @JSExport
  @JSProperty
  public boolean isSynced() {
    return provider.isSynced();
  }

  /** True when WebRTC is enabled and the browser has it. */
  @JSExport
  @JSProperty
  public boolean isWebrtc() {
    return provider.webrtc;
  }

  /** Frames and messages dropped as malformed, from every peer and server. */
  @JSExport
  @JSProperty
  public int getMalformed() {
    return provider.malformed;
  }

  /** The server's room keeper: {id, synced, unacked, kept}, or null when none is connected. */
  @JSExport
  public JSObject keeper() {
    return provider.keeperJs();
  }

  /**
   * The open peers: [{id, path, synced, bytesIn, bytesOut, messagesIn, messagesOut, dropped,
   * credit, state, opsIn, opsOut, rejected, redundant}].
   */
  @JSExport
  public JSArray<JSObject> peers() {
    return provider.peersJs();
  }

  /** Sets the local presence: UTF-8 JSON, or null to clear it. */
  @JSExport
  public void setLocalState(Uint8Array json) {
    provider.setLocalState(json == null ? null : Bytes.fromJs(json));
  }

  /** The clients that have a presence state, this one included. */
  @JSExport
  public JSArray<JSObject> awarenessClients() {
    return Js.ints(provider.awareness.clients());
  }

  /** A client's presence state as UTF-8 JSON, or null. */
  @JSExport
  public Uint8Array awarenessState(int client) {
    byte[] s = provider.awareness.getState(client);
    return s == null ? null : Bytes.toJs(s);
  }

  /** Leaves the room and closes everything. */
  @JSExport
  public void destroy() {
    provider.destroy();
  }
}
