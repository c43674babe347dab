package org.mycelium.sync.js.provider;

import org.mycelium.sync.js.net.BroadcastChannel;
import org.mycelium.sync.js.net.RTCDataChannel;
import org.mycelium.sync.js.net.RTCPeerConnection;
import org.mycelium.sync.js.net.WebSocket;
import org.teavm.jso.JSBody;
import org.teavm.jso.JSFunctor;
import org.teavm.jso.JSObject;
import org.teavm.jso.core.JSArray;
import org.teavm.jso.core.JSString;
import org.teavm.jso.typedarrays.Int8Array;
import org.teavm.jso.typedarrays.Uint8Array;

/**
 * The small JavaScript pieces the provider needs that are not plain property access: JSON in
 * and out, type checks on values that came from the network, and the calls that can throw
 * (a send on a closing socket, a constructor with a bad URL). Every reader here checks the
 * type in JavaScript and returns null (or a default) for anything unexpected, so that the Java
 * side never dereferences a wrong or missing value: in wasm-gc that would be an uncatchable trap.
 *
 * <p>Names that a script declares itself (its {@code var}s, the parameters of its inner
 * functions, its {@code catch} variables) are at least three characters long. TeaVM's minifier
 * renames a script's parameters to short names ({@code b}, {@code c}, {@code d}, ...) and leaves
 * the script's own names as they are, so a local {@code d} in a script whose third parameter
 * becomes {@code d} shadowed it: the minified JS build never sent a WebRTC answer ("d is not a
 * function") and read every remote ICE candidate as malformed, while wasm-gc (which keeps the
 * names) connected. {@code JsBodyScriptsTest} holds every script in the module to this.
 */
final class Js {
  private Js() {
  }

  /** A callback with one JS value (null on failure). */
  @JSFunctor
  interface ValueFn extends JSObject {
    void call(JSObject value);
  }

  /** A callback without arguments. */
  @JSFunctor
  interface Thunk extends JSObject {
    void call();
  }

  // ---- reading untrusted values ----

  /** Parses JSON text that must be an object; null when it is not. */
  @JSBody(params = "s", script = "try { var obj = JSON.parse(s);"
      + " return obj !== null && typeof obj === 'object' && !Array.isArray(obj) ? obj : null; } catch (err) { return null; }")
  static native JSObject parseObject(String s);

  /** Returns o[k] when it is a string of at most {@code max} characters, else null. */
  @JSBody(params = {"o", "k", "max"}, script = "var val = o[k]; return typeof val === 'string' && val.length <= max ? val : null;")
  static native String str(JSObject o, String k, int max);

  /** Returns o[k] when it is a plain object (not an array), else null. */
  @JSBody(params = {"o", "k"}, script = "var val = o[k]; return val !== null && typeof val === 'object' && !Array.isArray(val) ? val : null;")
  static native JSObject obj(JSObject o, String k);

  /** Returns o[k] when it is a finite number, else {@code otherwise}. */
  @JSBody(params = {"o", "k", "otherwise"}, script = "var val = o[k]; return typeof val === 'number' && isFinite(val) ? val : otherwise;")
  static native double num(JSObject o, String k, double otherwise);

  /** Returns o[k] === true. */
  @JSBody(params = {"o", "k"}, script = "return o[k] === true;")
  static native boolean isTrue(JSObject o, String k);

  /** Returns o[k] when it is an array of at most 4096 strings of at most {@code max} characters, else null. */
  @JSBody(params = {"o", "k", "max"}, script = "var val = o[k]; if (!Array.isArray(val) || val.length > 4096) return null;"
      + " for (var idx = 0; idx < val.length; idx++) if (typeof val[idx] !== 'string' || val[idx].length > max) return null; return val;")
  static native JSArray<JSString> strings(JSObject o, String k, int max);

  /** Returns a session description {type, sdp} rebuilt from o[k], or null when it is not one. */
  @JSBody(params = {"o", "k"}, script = "var val = o[k]; return val !== null && typeof val === 'object'"
      + " && (val.type === 'offer' || val.type === 'answer') && typeof val.sdp === 'string' && val.sdp.length < 262144"
      + " ? {type: val.type, sdp: val.sdp} : null;")
  static native JSObject description(JSObject o, String k);

  /** Returns the type ("offer" or "answer") of a checked description. */
  @JSBody(params = "d", script = "return d.type;")
  static native String descriptionType(JSObject d);

  /** Returns an ICE candidate {candidate, sdpMid, sdpMLineIndex} rebuilt from o[k], or null. */
  @JSBody(params = {"o", "k"}, script = "var val = o[k]; if (val === null || typeof val !== 'object'"
      + " || typeof val.candidate !== 'string' || val.candidate.length > 4096) return null;"
      + " var cand = {candidate: val.candidate};"
      + " if (typeof val.sdpMid === 'string' && val.sdpMid.length < 256) cand.sdpMid = val.sdpMid;"
      + " if (typeof val.sdpMLineIndex === 'number' && val.sdpMLineIndex >= 0 && val.sdpMLineIndex < 65536) cand.sdpMLineIndex = val.sdpMLineIndex;"
      + " if (cand.sdpMid === undefined && cand.sdpMLineIndex === undefined) cand.sdpMLineIndex = 0; return cand;")
  static native JSObject candidate(JSObject o, String k);

  /** Returns the bytes of a message event's data when it is binary (ArrayBuffer or Uint8Array), else null. */
  @JSBody(params = "d", script = "return d instanceof ArrayBuffer ? new Int8Array(d)"
      + " : d instanceof Uint8Array ? new Int8Array(d.buffer, d.byteOffset, d.byteLength) : null;")
  static native Int8Array binary(JSObject d);

  /** Returns the data when it is a string, else null. */
  @JSBody(params = "d", script = "return typeof d === 'string' ? d : null;")
  static native String text(JSObject d);

  /** Copies binary message data into Java, or returns null when the data is not binary. */
  static byte[] bytesOf(JSObject data) {
    Int8Array a = data == null ? null : binary(data);
    return a == null ? null : a.copyToJavaArray();
  }

  // ---- building what goes out ----

  /** JSON text of {type, room}. */
  @JSBody(params = {"type", "room"}, script = "return JSON.stringify(room === null ? {type: type} : {type: type, room: room});")
  static native String message(String type, String room);

  /** JSON text of a join, with {@code keep: true} when the room should be kept by the server. */
  @JSBody(params = {"room", "keep"}, script = "var msg = {type: 'join', room: room}; if (keep) msg.keep = true; return JSON.stringify(msg);")
  static native String join(String room, boolean keep);

  /** The provider's view of the room keeper: {id, synced, unacked, kept}. */
  @JSBody(params = {"id", "synced", "unacked"}, script = "return {id: id, synced: synced, unacked: unacked, kept: synced && unacked === 0};")
  static native JSObject keeper(String id, boolean synced, int unacked);

  /** JSON text of a signal message to one peer ({@code to} not null) or the room. */
  @JSBody(params = {"room", "to", "data"}, script = "var msg = {type: 'signal', room: room, data: data};"
      + " if (to !== null) msg.to = to; return JSON.stringify(msg);")
  static native String signal(String room, String to, JSObject data);

  /** The data of a hello, ack or relay signal: {t, pid, webrtc}. */
  @JSBody(params = {"t", "pid", "webrtc"}, script = "return {t: t, pid: pid, webrtc: webrtc};")
  static native JSObject handshake(String t, String pid, boolean webrtc);

  /** The data of a signal that carries a value: {t, pid, v}. */
  @JSBody(params = {"t", "pid", "v"}, script = "return {t: t, pid: pid, v: v};")
  static native JSObject carrying(String t, String pid, JSObject v);

  /** Returns a peer record for the API. */
  @JSBody(params = {"id", "path", "synced", "bytesIn", "bytesOut", "messagesIn", "messagesOut", "dropped"},
      script = "return {id: id, path: path, synced: synced, bytesIn: bytesIn, bytesOut: bytesOut,"
      + " messagesIn: messagesIn, messagesOut: messagesOut, dropped: dropped};")
  static native JSObject peer(String id, String path, boolean synced, double bytesIn, double bytesOut,
      double messagesIn, double messagesOut, double dropped);

  /** Adds the credit fields to a peer record; a NaN balance (accounting off) becomes null. */
  @JSBody(params = {"o", "credit", "state", "opsIn", "opsOut", "rejected", "redundant"},
      script = "o.credit = credit === credit ? credit : null; o.state = state; o.opsIn = opsIn; o.opsOut = opsOut;"
      + " o.rejected = rejected; o.redundant = redundant;")
  static native void creditStats(JSObject o, double credit, String state, double opsIn, double opsOut,
      int rejected, int redundant);

  /** Sets o[k] = v. */
  @JSBody(params = {"o", "k", "v"}, script = "o[k] = v;")
  static native void set(JSObject o, String k, JSObject v);

  /** Returns {a, b, c} for events with three fields. */
  @JSBody(params = {"ka", "a", "kb", "b", "kc", "c"}, script = "var rec = {}; rec[ka] = a; rec[kb] = b; if (kc !== null) rec[kc] = c; return rec;")
  static native JSObject record(String ka, JSObject a, String kb, JSObject b, String kc, JSObject c);

  @JSBody(params = "b", script = "return b;")
  static native JSObject bool(boolean b);

  @JSBody(params = "s", script = "return s;")
  static native JSObject string(String s);

  @JSBody(params = "n", script = "return n;")
  static native JSObject number(double n);

  /** Returns a JS array of numbers. */
  static JSArray<JSObject> ints(int[] values) {
    JSArray<JSObject> out = new JSArray<>();
    for (int v : values) {
      out.push(number(v));
    }
    return out;
  }

  // ---- calls that may throw ----

  /** Opens a WebSocket, or returns null when the URL is refused. */
  @JSBody(params = "url", script = "try { var sock = new WebSocket(url); sock.binaryType = 'arraybuffer'; return sock; } catch (err) { return null; }")
  static native WebSocket openSocket(String url);

  /** Sends text when the socket is open; false when it could not. */
  @JSBody(params = {"ws", "s"}, script = "try { if (ws.readyState === 1) { ws.send(s); return true; } } catch (err) {} return false;")
  static native boolean sendText(WebSocket ws, String s);

  /** Sends bytes when the socket is open; false when it could not. */
  @JSBody(params = {"ws", "b"}, script = "try { if (ws.readyState === 1) { ws.send(b); return true; } } catch (err) {} return false;")
  static native boolean sendBinary(WebSocket ws, Uint8Array b);

  /** Closes a socket, ignoring errors. */
  @JSBody(params = "ws", script = "try { ws.close(1000, 'bye'); } catch (err) {}")
  static native void closeSocket(WebSocket ws);

  /** Sends bytes on an open data channel; false when it could not. */
  @JSBody(params = {"dc", "b"}, script = "try { if (dc.readyState === 'open') { dc.send(b); return true; } } catch (err) {} return false;")
  static native boolean sendChannel(RTCDataChannel dc, Uint8Array b);

  /** Returns true when the data channel is open. */
  @JSBody(params = "dc", script = "return dc !== null && dc.readyState === 'open';")
  static native boolean isOpen(RTCDataChannel dc);

  /** Creates a peer connection with {@code config} ({iceServers}), or null when the browser refuses it. */
  @JSBody(params = "config", script = "try { return new RTCPeerConnection(config); } catch (err) { return null; }")
  static native RTCPeerConnection newPeerConnection(JSObject config);

  /** Opens the provider's data channel: reliable and ordered; null on failure. */
  @JSBody(params = "pc", script = "try { var chan = pc.createDataChannel('mycelium-sync', {ordered: true});"
      + " chan.binaryType = 'arraybuffer'; return chan; } catch (err) { return null; }")
  static native RTCDataChannel openChannel(RTCPeerConnection pc);

  /** Prepares a channel the remote side opened. */
  @JSBody(params = "dc", script = "dc.binaryType = 'arraybuffer';")
  static native void binaryChannel(RTCDataChannel dc);

  /** Creates an offer, sets it locally, and calls fn with it (null on failure). */
  @JSBody(params = {"pc", "fn"}, script = "pc.createOffer().then(function (made) { return pc.setLocalDescription(made); })"
      + ".then(function () { var desc = pc.localDescription; fn({type: desc.type, sdp: desc.sdp}); }, function () { fn(null); });")
  static native void offer(RTCPeerConnection pc, ValueFn fn);

  /** Sets a remote offer, creates and sets an answer, and calls fn with it (null on failure). */
  @JSBody(params = {"pc", "offer", "fn"}, script = "pc.setRemoteDescription(offer)"
      + ".then(function () { return pc.createAnswer(); }).then(function (made) { return pc.setLocalDescription(made); })"
      + ".then(function () { var desc = pc.localDescription; fn({type: desc.type, sdp: desc.sdp}); }, function () { fn(null); });")
  static native void answer(RTCPeerConnection pc, JSObject offer, ValueFn fn);

  /** Sets a remote answer; fn gets it back, or null on failure. */
  @JSBody(params = {"pc", "answer", "fn"}, script = "pc.setRemoteDescription(answer).then(function () { fn(answer); }, function () { fn(null); });")
  static native void accept(RTCPeerConnection pc, JSObject answer, ValueFn fn);

  /** Adds a remote ICE candidate; a bad one is ignored. */
  @JSBody(params = {"pc", "c"}, script = "try { pc.addIceCandidate(c).catch(function () {}); } catch (err) {}")
  static native void addCandidate(RTCPeerConnection pc, JSObject c);

  /** Returns the JSON form of a local candidate event's candidate, or null at the end of gathering. */
  @JSBody(params = "e", script = "var cand = e.candidate; return cand ? {candidate: cand.candidate, sdpMid: cand.sdpMid, sdpMLineIndex: cand.sdpMLineIndex} : null;")
  static native JSObject localCandidate(JSObject e);

  /** Closes a data channel and its connection, ignoring errors. */
  @JSBody(params = {"pc", "dc"}, script = "try { if (dc) { dc.onopen = dc.onclose = dc.onmessage = dc.onerror = dc.onbufferedamountlow = null; dc.close(); } } catch (err) {}"
      + " try { if (pc) { pc.onicecandidate = pc.ondatachannel = pc.onconnectionstatechange = null; pc.close(); } } catch (err) {}")
  static native void closeConnection(RTCPeerConnection pc, RTCDataChannel dc);

  /** Joins a broadcast channel, or returns null where there is none. */
  @JSBody(params = "name", script = "try { return typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : null; } catch (err) { return null; }")
  static native BroadcastChannel openBroadcast(String name);

  /** Posts bytes to a broadcast channel, ignoring errors (a closed channel). */
  @JSBody(params = {"bc", "b"}, script = "try { bc.postMessage(b); } catch (err) {}")
  static native void post(BroadcastChannel bc, Uint8Array b);

  /** Closes a broadcast channel, ignoring errors. */
  @JSBody(params = "bc", script = "try { bc.onmessage = null; bc.close(); } catch (err) {}")
  static native void closeBroadcast(BroadcastChannel bc);

  /** Calls fn when the page is being hidden for good (pagehide); returns a function that stops it. */
  @JSBody(params = "fn", script = "if (typeof addEventListener !== 'function') return function () {};"
      + " var handler = function () { fn(); }; addEventListener('pagehide', handler);"
      + " return function () { removeEventListener('pagehide', handler); };")
  static native JSObject onPageHide(Thunk fn);

  /** Calls a function returned by {@link #onPageHide}. */
  @JSBody(params = "f", script = "f();")
  static native void call(JSObject f);

  // ---- time and randomness ----

  /** Milliseconds from performance.now() (Date.now() where there is no performance). */
  @JSBody(script = "return typeof performance !== 'undefined' ? performance.now() : Date.now();")
  static native double now();

  /** A uniform random number in [0, 1) from crypto.getRandomValues (Math.random where there is none). */
  @JSBody(script = "var rng = typeof crypto !== 'undefined' && crypto.getRandomValues ? crypto : null;"
      + " if (!rng) return Math.random(); var word = new Uint32Array(1); rng.getRandomValues(word); return word[0] / 4294967296;")
  static native double random();

  /** Calls fn in a microtask: right after the current task, before any timer or I/O. */
  @JSBody(params = "fn", script = "Promise.resolve().then(function () { fn(); });")
  static native void microtask(Thunk fn);

  /** A random peer id: 16 hex digits. */
  static String randomId() {
    char[] out = new char[16];
    for (int i = 0; i < 16; i++) {
      out[i] = "0123456789abcdef".charAt((int) (random() * 16) & 15);
    }
    return new String(out);
  }
}
