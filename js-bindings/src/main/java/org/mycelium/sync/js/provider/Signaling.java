package org.mycelium.sync.js.provider;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.mycelium.sync.Decoder;
import org.mycelium.sync.Encoder;
import org.mycelium.sync.MalformedUpdateException;
import org.mycelium.sync.js.Bytes;
import org.mycelium.sync.js.net.WebSocket;
import org.teavm.jso.JSObject;
import org.teavm.jso.browser.Window;
import org.teavm.jso.core.JSArray;
import org.teavm.jso.core.JSString;

/**
 * One connection to a {@code /signal} endpoint (docs/SIGNALING.md): joins the provider's room,
 * carries WebRTC signals and relay frames, pings while quiet, and reconnects after any loss
 * with exponential backoff and jitter. What arrives is checked field by field; anything that
 * does not fit is counted and dropped.
 */
final class Signaling {
  static final int RELAY = 1; // the relay frame kind
  static final int BACKOFF_BASE_MS = 250; // first reconnect delay before jitter
  static final int BACKOFF_CAP_MS = 15_000; // no reconnect delay is longer than this
  static final int MAX_ID = 128; // longest peer id or pid accepted
  static final int WELCOME_TIMEOUT_MS = 10_000; // a socket without a welcome by then is closed and retried
  static final double PACE = 0.85; // share of the server's credit capacity and refill the relay uses
  static final double OP_MARGIN = 32; // credits a frame for what the welcome does not tell (cost per op)

  private final Provider provider;
  final String url;
  WebSocket ws; // null while waiting to reconnect
  String myId; // the server-assigned id of this connection, null before welcome
  boolean joined; // the room has been joined on this connection
  int attempt; // failed attempts since the last successful join
  private int retryTimer; // 0 when no reconnect is scheduled
  private int pingTimer; // 0 when not pinging
  private double pingIntervalMs = 20_000; // from the welcome's limits
  private double lastHeard; // time of the last message from the server
  double pausedUntil; // no relay frames before this time: the server said we are throttled
  // Relay pacing by the server's credit policy (from the welcome), so that relay frames are
  // not dropped for lack of credit: a token bucket a little slower and smaller than the server's.
  private double capacity; // 0: the server told no policy, frames go out at once
  private double refillPerMs;
  private double costPerMessage;
  private double costPerByte;
  private double balance;
  private double balanceAt; // time of the last refill
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>(); // relay frames waiting for credit
  private int drainTimer; // 0 when no drain is scheduled
  final Map<String, String> pidByServerId = new HashMap<>(); // who is who, learned from signals
  final Map<String, Double> awaiting = new HashMap<>(); // server ids we said hello to -> when

  Signaling(Provider provider, String url) {
    this.provider = provider;
    this.url = url;
  }

  /** Opens the socket (again). */
  void connect() {
    retryTimer = 0;
    if (provider.destroyed) {
      return;
    }
    WebSocket s = Js.openSocket(url);
    if (s == null) {
      scheduleReconnect();
      return;
    }
    ws = s;
    s.setOnMessage(e -> {
      if (ws == s) {
        provider.guard(() -> onMessage(e.getData()));
      }
    });
    s.setOnClose(e -> {
      if (ws == s) {
        provider.guard(this::onClosed);
      }
    });
    // a server that accepts the socket but never says welcome counts as lost too
    Window.setTimeout(() -> provider.guard(() -> {
      if (ws == s && myId == null) {
        Js.closeSocket(s);
        onClosed();
      }
    }), WELCOME_TIMEOUT_MS);
    provider.statusChanged();
  }

  /** Returns true while a socket is open or opening. */
  boolean isTrying() {
    return ws != null;
  }

  private void onMessage(JSObject data) {
    lastHeard = Js.now();
    String text = Js.text(data);
    if (text != null) {
      onText(text);
      return;
    }
    byte[] bytes = Js.bytesOf(data);
    if (bytes == null) {
      provider.malformed++;
      return;
    }
    onRelay(bytes);
  }

  private void onText(String text) {
    JSObject m = Js.parseObject(text);
    String type = m == null ? null : Js.str(m, "type", 32);
    if (type == null) {
      provider.malformed++;
      return;
    }
    switch (type) {
      case "welcome":
        onWelcome(m);
        break;
      case "joined":
        onJoined(m);
        break;
      case "peer-left":
        onPeerLeft(m);
        break;
      case "signal":
        onSignal(m);
        break;
      case "peer-joined":
      case "pong":
        break; // the newcomer says hello itself; a pong only proves the line is alive
      case "error":
        provider.serverErrors++;
        if ("throttled".equals(Js.str(m, "code", 32))) {
          provider.relayThrottled(this, Math.max(100, Math.min(60_000, Js.num(m, "retryMs", 1000))));
        }
        break;
      default:
        provider.malformed++;
    }
  }

  private void onWelcome(JSObject m) {
    String id = Js.str(m, "id", MAX_ID);
    if (id == null) {
      provider.malformed++;
      return;
    }
    myId = id;
    JSObject limits = Js.obj(m, "limits");
    JSObject credit = limits == null ? null : Js.obj(limits, "credit");
    if (limits != null) {
      pingIntervalMs = Math.max(1000, Math.min(60_000, Js.num(limits, "pingIntervalMs", 20_000)));
    }
    capacity = 0;
    if (credit != null && Js.num(credit, "capacity", 0) > 0 && Js.num(credit, "refillPerSecond", 0) > 0) {
      capacity = Js.num(credit, "capacity", 0) * PACE;
      refillPerMs = Js.num(credit, "refillPerSecond", 0) * PACE / 1000;
      costPerMessage = Js.num(credit, "costPerMessage", 64) + OP_MARGIN;
      costPerByte = Math.max(0, Js.num(credit, "costPerByte", 1));
      balance = capacity;
      balanceAt = Js.now();
    }
    Js.sendText(ws, Js.join(provider.room, provider.keep));
    schedulePing();
  }

  private void onJoined(JSObject m) {
    String room = Js.str(m, "room", 4096);
    JSArray<JSString> peers = Js.strings(m, "peers", MAX_ID);
    if (room == null || !room.equals(provider.room) || peers == null) {
      provider.malformed++;
      return;
    }
    joined = true;
    attempt = 0;
    double now = Js.now();
    for (int i = 0; i < peers.getLength(); i++) {
      String peer = peers.get(i).stringValue();
      if (!peer.equals(myId)) {
        awaiting.put(peer, now);
        signal(peer, Js.handshake("hello", provider.id, provider.webrtc));
      }
    }
    provider.statusChanged();
    provider.syncedChanged();
    if (!awaiting.isEmpty()) {
      Window.setTimeout(() -> provider.guard(this::expireHellos), provider.connectTimeout * 2.0);
    }
  }

  /** Forgets hellos that got no answer in time, so that "synced" does not wait for them forever. */
  private void expireHellos() {
    double now = Js.now();
    awaiting.values().removeIf(at -> now - at >= provider.connectTimeout * 2.0 - 1);
    provider.syncedChanged();
  }

  private void onPeerLeft(JSObject m) {
    String peer = Js.str(m, "peer", MAX_ID);
    if (peer == null) {
      provider.malformed++;
      return;
    }
    awaiting.remove(peer);
    String pid = pidByServerId.remove(peer);
    Peer p = pid == null ? null : provider.peers.get(pid);
    if (provider.debug) {
      provider.trace("peer-left " + pid + "@" + peer + (p == null ? "" : " (" + p.path + (p.via == this ? "" : ", other server") + ")"));
    }
    if (p != null && p.via == this && !Js.isOpen(p.dc)) {
      provider.removePeer(p);
    }
    provider.syncedChanged();
  }

  private void onSignal(JSObject m) {
    String room = Js.str(m, "room", 4096);
    String from = Js.str(m, "from", MAX_ID);
    JSObject data = Js.obj(m, "data");
    String pid = data == null ? null : Js.str(data, "pid", MAX_ID);
    String t = data == null ? null : Js.str(data, "t", 16);
    if (room == null || !room.equals(provider.room) || from == null || pid == null || t == null
        || pid.equals(provider.id)) {
      provider.malformed++;
      return;
    }
    String known = pidByServerId.get(from);
    if (known != null && !known.equals(pid)) {
      provider.malformed++; // one connection cannot speak for two providers
      return;
    }
    pidByServerId.put(from, pid);
    provider.onSignal(this, from, pid, t, data);
  }

  /**
   * A relay frame: {@code varUint(1) • varString(room) • varString(from) • payload}. The payload
   * is one chunk frame for the peer's session.
   */
  private void onRelay(byte[] bytes) {
    String room;
    String from;
    int start;
    try {
      Decoder d = new Decoder(bytes);
      if (d.readVarUint() != RELAY) {
        throw new MalformedUpdateException("not a relay frame", 0);
      }
      room = d.readVarString();
      from = d.readVarString();
      start = d.position();
    } catch (MalformedUpdateException e) {
      provider.malformed++;
      return;
    }
    String pid = pidByServerId.get(from);
    Peer p = pid == null || !room.equals(provider.room) ? null : provider.peers.get(pid);
    if (p == null || p.via != this) {
      if (p != null || pid == null || !provider.credit.isBanned(pid)) {
        provider.malformed++; // a cut-off peer's frames are expected: dropped without a count
      }
      return;
    }
    byte[] frame = new byte[bytes.length - start];
    System.arraycopy(bytes, start, frame, 0, frame.length);
    provider.onRelayFrame(p, frame);
  }

  /** Sends a signal to one peer (by server id) in the room. */
  void signal(String to, JSObject data) {
    boolean sent = ws != null && Js.sendText(ws, Js.signal(provider.room, to, data));
    if (provider.debug) {
      provider.trace("signal-out " + Js.str(data, "t", 16) + " to " + to + (sent ? "" : " NOT SENT"));
    }
  }

  /** Queues one chunk frame to a peer through the relay; false when the socket is not open. */
  boolean relay(String to, byte[] frame) {
    if (ws == null || !joined) {
      return false;
    }
    Encoder e = new Encoder();
    e.writeVarUint(RELAY);
    e.writeVarString(provider.room);
    e.writeVarString(to);
    e.writeRaw(frame, 0, frame.length);
    queue.add(e.toBytes());
    drain();
    return true;
  }

  /** Sends queued relay frames while there is credit; schedules itself for the rest. */
  private void drain() {
    double now = Js.now();
    if (ws == null) {
      queue.clear();
      return;
    }
    if (pausedUntil > now) {
      queue.clear(); // the server would drop them; the resync after the pause sends what matters
      return;
    }
    if (capacity > 0) {
      balance = Math.min(capacity, balance + (now - balanceAt) * refillPerMs);
      balanceAt = now;
    }
    while (!queue.isEmpty()) {
      byte[] f = queue.peek();
      double cost = costPerMessage + costPerByte * f.length;
      if (capacity > 0 && balance < Math.min(cost, capacity)) {
        if (drainTimer == 0) {
          double wait = Math.max(1, (Math.min(cost, capacity) - balance) / refillPerMs);
          drainTimer = Window.setTimeout(() -> provider.guard(() -> {
            drainTimer = 0;
            drain();
          }), wait);
        }
        return;
      }
      queue.poll();
      balance -= cost;
      Js.sendBinary(ws, Bytes.toJs(f));
    }
  }

  private void schedulePing() {
    Window.clearTimeout(pingTimer);
    pingTimer = Window.setTimeout(() -> provider.guard(this::ping), pingIntervalMs);
  }

  /** Pings; a server silent for 2.5 ping intervals is taken as lost and the socket is closed. */
  private void ping() {
    pingTimer = 0;
    if (ws == null) {
      return;
    }
    if (Js.now() - lastHeard > pingIntervalMs * 2.5) {
      WebSocket s = ws;
      Js.closeSocket(s);
      onClosed();
      return;
    }
    Js.sendText(ws, Js.message("ping", null));
    schedulePing();
  }

  private void onClosed() {
    ws = null;
    queue.clear();
    myId = null;
    joined = false;
    Window.clearTimeout(pingTimer);
    pingTimer = 0;
    awaiting.clear();
    pidByServerId.clear();
    provider.connectionLost(this);
    scheduleReconnect();
    provider.statusChanged();
    provider.syncedChanged();
  }

  /** Reconnects after min(cap, base * 2^attempt), scaled by a random factor in [0.5, 1). */
  private void scheduleReconnect() {
    if (provider.destroyed || retryTimer != 0) {
      return;
    }
    double delay = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * Math.pow(2, Math.min(attempt, 16)));
    delay *= 0.5 + Js.random() * 0.5;
    attempt++;
    retryTimer = Window.setTimeout(() -> provider.guard(this::connect), delay);
  }

  /** Leaves the room and closes for good. */
  void close() {
    Window.clearTimeout(drainTimer);
    Window.clearTimeout(retryTimer);
    Window.clearTimeout(pingTimer);
    retryTimer = 0;
    pingTimer = 0;
    WebSocket s = ws;
    ws = null;
    if (s != null) {
      if (joined) {
        Js.sendText(s, Js.message("leave", provider.room));
      }
      Js.closeSocket(s);
    }
    joined = false;
  }
}
