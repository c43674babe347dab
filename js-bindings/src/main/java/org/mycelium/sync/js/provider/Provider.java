package org.mycelium.sync.js.provider;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mycelium.sync.Awareness;
import org.mycelium.sync.Chunker;
import org.mycelium.sync.CreditGate;
import org.mycelium.sync.CreditPolicy;
import org.mycelium.sync.Decoder;
import org.mycelium.sync.Doc;
import org.mycelium.sync.Encoder;
import org.mycelium.sync.IntList;
import org.mycelium.sync.MalformedUpdateException;
import org.mycelium.sync.SyncSession;
import org.mycelium.sync.Updates;
import org.mycelium.sync.js.Bytes;
import org.mycelium.sync.js.net.BroadcastChannel;
import org.mycelium.sync.js.net.RTCDataChannel;
import org.mycelium.sync.js.net.RTCPeerConnection;
import org.teavm.jso.JSObject;
import org.teavm.jso.browser.Window;
import org.teavm.jso.core.JSArray;
import org.teavm.jso.typedarrays.Uint8Array;

/**
 * The WebRTC provider: keeps one doc in sync with every other provider in a room.
 *
 * <p>Peers find each other through one or more signaling connections ({@link Signaling}) and,
 * between tabs of one origin, over a BroadcastChannel. Each remote provider is one {@link Peer}
 * with one {@link SyncSession} on exactly one path:
 * <ul>
 *   <li>{@code webrtc}: a reliable, ordered data channel. The newcomer says hello to every peer
 *       the server lists in {@code joined}; each answers with an ack and the newcomer offers.
 *       ICE candidates trickle through the signaling server.</li>
 *   <li>{@code relay}: the same frames through the signaling server as binary frames, when
 *       either side disables WebRTC or has none, when the connection cap is reached, or when
 *       the data channel does not open within the connect timeout (fallback).</li>
 *   <li>{@code tab}: the same frames over the BroadcastChannel {@code mycelium-sync:<room>}.</li>
 * </ul>
 * The first path that reaches a peer wins; the other discovery is answered as "known". Every
 * path carries chunk frames ({@link Chunker}, 16 KiB) of sync messages, so the session protocol
 * is the same everywhere. Local updates go to every open peer; an update that a peer's session
 * applied is never sent back to that peer, and is passed on only to peers found through another
 * channel ({@link #forward}).
 *
 * <p>Nothing from the network is trusted: every frame is checked before use and a bad one is
 * counted (per peer in {@code dropped}, overall in {@link #malformed}) and dropped. The doc and
 * the awareness are unchanged by a message that fails.
 */
final class Provider {
  static final int FRAME_SIZE = 16 * 1024; // chunk frame size on every path
  static final int MAX_MESSAGE = 64 << 20; // largest sync message a peer may send
  static final double TICK_MS = 3_000; // awareness renewal, timeout and stall check interval
  static final int CHANNEL_HIGH = 4 << 20; // bytes buffered in a data channel above which frames wait in the peer's backlog
  static final int CHANNEL_LOW = 1 << 20; // the channel's bufferedamountlow threshold: the backlog drains from there
  static final double ANSWER_GRACE_MS = 1_000; // the answerer's wait for the offerer's first frame after its channel opened

  // tab channel message kinds: varUint(kind) • varString(from) • varString(to) • frame
  static final int TAB_HELLO = 0;
  static final int TAB_ACK = 1;
  static final int TAB_FRAME = 2;
  static final int TAB_BYE = 3;

  /** Where events go: the glue turns them into the provider's and the awareness' events. */
  interface Events {
    void emit(String kind, JSObject data);
  }

  final String room;
  final Doc doc;
  final Awareness awareness;
  final String id = Js.randomId(); // this provider's id, sent in every handshake
  final boolean webrtc; // WebRTC is enabled and present
  final boolean keep; // ask the server to keep the room (join with keep: true); the keeper acks what it stored
  final int maxConns; // cap on WebRTC connections (pending ones included)
  final int connectTimeout; // ms for a data channel to open before the relay takes over
  final boolean debug; // emit "debug" events: a trace of paths, signals and the first messages per peer
  private final JSObject rtcConfig; // {iceServers}, passed to RTCPeerConnection as is
  private final Events events;
  private final Chunker splitter = new Chunker(FRAME_SIZE, MAX_MESSAGE); // split() only: stateless
  final ProviderCredit credit; // every whole message in and out passes here

  final Map<String, Peer> peers = new LinkedHashMap<>(); // by provider id, pending ones included
  private final List<Signaling> signaling = new ArrayList<>();
  private BroadcastChannel tabs; // null when tabs are off or unsupported
  private final Runnable unsubscribe; // stops listening to the doc
  private final List<byte[]> outbox = new ArrayList<>(); // local updates of this task, not yet sent
  private final Map<Integer, Integer> awarenessClocks = new HashMap<>(); // highest presence clock seen per client
  private JSObject stopPageHide; // removes the pagehide listener
  private int tickTimer;

  boolean destroyed;
  private String status = ""; // last status emitted
  private boolean synced; // last synced value emitted
  private boolean syncedEmitted; // whether any synced event was emitted
  int malformed; // frames and messages dropped as malformed, all peers and servers together
  int serverErrors; // error messages from signaling servers

  Provider(String room, Doc doc, Awareness awareness, String[] urls, boolean webrtc, boolean useTabs, int maxConns,
      int connectTimeout, JSObject rtcConfig, boolean keep, CreditPolicy creditPolicy, double banMs,
      boolean debug, Events events) {
    this.debug = debug;
    this.room = room;
    this.keep = keep;
    this.credit = new ProviderCredit(this, creditPolicy, banMs);
    this.doc = doc;
    this.awareness = awareness;
    this.webrtc = webrtc && RTCPeerConnection.isSupported();
    this.maxConns = maxConns;
    this.connectTimeout = connectTimeout;
    this.rtcConfig = rtcConfig;
    this.events = events;
    this.unsubscribe = doc.onUpdate(this::onDocUpdate);
    for (String url : urls) {
      signaling.add(new Signaling(this, url));
    }
    if (useTabs) {
      tabs = Js.openBroadcast("mycelium-sync:" + room);
      if (tabs != null) {
        BroadcastChannel bc = tabs;
        bc.setOnMessage(e -> guard(() -> onTabMessage(e.getData())));
        postTab(TAB_HELLO, "", new byte[0]);
        stopPageHide = Js.onPageHide(() -> guard(() -> postTab(TAB_BYE, "", new byte[0])));
      }
    }
    for (Signaling s : signaling) {
      s.connect();
    }
    tickTimer = Window.setTimeout(() -> guard(this::tick), TICK_MS);
    statusChanged();
    syncedChanged();
  }

  /**
   * With the debug option: emits one line of the trace, prefixed with the time in ms, as a
   * "debug" event. Callers test {@link #debug} first, so that nothing is built when it is off.
   */
  void trace(String line) {
    events.emit("debug", Js.string((int) Js.now() + " " + line));
  }

  /** The first message types to and from a peer go into the trace (later ones would flood it). */
  private void traceMessage(Peer p, String dir, byte[] message, String extra) {
    if (debug && p.traced < 12) {
      p.traced++;
      trace(dir + " " + p.id + " " + p.path + " type " + message[0] + " len " + message.length + extra);
    }
  }

  /** Runs an event handler; an engine exception in it is counted, never thrown into the browser's event loop. */
  void guard(Runnable r) {
    if (destroyed) {
      return;
    }
    try {
      r.run();
    } catch (RuntimeException e) {
      malformed++;
      if (debug) {
        trace("exception " + e);
      }
    }
  }

  // ---- the doc and the awareness ----

  private void onDocUpdate(byte[] update, Object origin) {
    if (destroyed) {
      return;
    }
    for (Peer p : peers.values()) {
      if (p.session == origin) {
        forward(p, update);
        return;
      }
    }
    outbox.add(update);
    if (outbox.size() == 1) {
      Js.microtask(() -> guard(this::flush));
    }
  }

  /**
   * Sends the updates of the task that just ended as one merged update: a loop of a thousand
   * one-insert transactions costs one message per peer, not a thousand. The microtask runs as
   * soon as the current task returns, so a single edit waits for nothing.
   */
  private void flush() {
    if (outbox.isEmpty()) {
      return;
    }
    byte[][] updates = outbox.toArray(new byte[0][]);
    outbox.clear();
    if (updates.length > 1) {
      try {
        updates = new byte[][] {Updates.merge(updates)};
      } catch (RuntimeException e) {
        malformed++; // cannot happen for the doc's own updates; send them one by one then
      }
    }
    for (byte[] u : updates) {
      broadcast(SyncSession.encodeUpdate(u));
    }
  }

  /** Sets the local presence (UTF-8 JSON, null to clear) and tells everyone. */
  void setLocalState(byte[] json) {
    if (destroyed) {
      return;
    }
    boolean had = awareness.getLocalState() != null;
    byte[] update = awareness.setLocalState(json, Js.now());
    broadcast(SyncSession.encodeAwareness(update));
    boolean has = awareness.getLocalState() != null;
    int[] self = {doc.clientId()};
    int[] none = {};
    awarenessChanged(!had && has ? self : none, had && has ? self : none, had && !has ? self : none);
  }

  private void tick() {
    tickTimer = Window.setTimeout(() -> guard(this::tick), TICK_MS);
    IntList removed = new IntList();
    byte[] renewal = awareness.tick(Js.now(), removed);
    if (renewal != null) {
      broadcast(SyncSession.encodeAwareness(renewal));
    }
    if (removed.size() > 0) {
      awarenessChanged(new int[0], new int[0], removed.sorted());
    }
    askStalledPeersAgain();
    for (Signaling s : signaling) {
      if (!s.awaiting.isEmpty()) {
        syncedChanged();
        break;
      }
    }
  }

  /**
   * Repairs a sync step that went missing. A peer whose session is open but not synced, and
   * from which nothing at all arrived during a whole tick, gets syncStep1 (and the presence)
   * again: if ours was lost it answers now, and if its syncStep2 was lost it sends it again. A
   * large syncStep2 on its way keeps frames coming, so it is not asked for twice; a syncStep1
   * we send counts as asked in the credit gate, so the answer is served, not redundant.
   * Nothing is sent while the peer has asked us to wait, nor while its messages wait in our
   * credit gate (its syncStep2 may be among them).
   */
  private void askStalledPeersAgain() {
    double now = Js.now();
    for (Peer p : peers.values().toArray(new Peer[0])) {
      CreditGate g = p.isOpen() ? credit.gate(p) : null;
      if (g != null && !p.isSynced() && p.bytesIn == p.bytesInAtTick && now - p.openedAt >= TICK_MS
          && !g.isPaused() && g.heldCount() == 0) {
        p.resyncs++;
        if (debug) {
          trace("stalled " + p.id + " " + p.path + ": syncStep1 again (" + p.resyncs + ")");
        }
        sendOpening(p);
      }
      p.bytesInAtTick = p.bytesIn;
    }
  }

  private void awarenessChanged(int[] added, int[] updated, int[] removed) {
    if (added.length + updated.length + removed.length > 0) {
      events.emit("awareness", Js.record("added", Js.ints(added), "updated", Js.ints(updated), "removed", Js.ints(removed)));
    }
  }

  // ---- sending ----

  /**
   * Returns true when an awareness message (already applied, so well formed) carries a clock
   * higher than any seen before for one of its clients: only such a message is passed on, so
   * presence crosses channels and a message that comes round again stops.
   */
  private boolean bringsNewClocks(byte[] message) {
    Decoder d = new Decoder(message);
    d.readVarUint();
    Decoder u = new Decoder(d.readVarBytes());
    boolean fresh = false;
    for (int n = u.readVarUint(); n > 0; n--) {
      int client = u.readVarUint();
      int clock = u.readVarUint();
      u.readVarBytes();
      Integer seen = awarenessClocks.get(client);
      if (client != doc.clientId() && (seen == null || clock > seen)) {
        awarenessClocks.put(client, clock);
        fresh = true;
      }
    }
    return fresh;
  }

  /** Sends a message from {@code from} on to the open peers found through another channel. */
  private void forwardMessage(Peer from, byte[] message) {
    for (Peer p : peers.values().toArray(new Peer[0])) {
      if (p != from && p.isOpen() && p.via != from.via) {
        send(p, message);
      }
    }
  }

  /**
   * Passes an update that {@code from}'s session applied on to the peers that may not have it.
   * Peers found through one channel (one signaling connection, or the tab channel) all find
   * each other there, so the author has sent it to them already; a peer found through another
   * channel may not know the author at all (a tab without signaling behind a tab with it, or two
   * signaling servers), so it gets it from here. A duplicate applies as a no-op and goes no further.
   */
  private void forward(Peer from, byte[] update) {
    for (Peer p : peers.values()) {
      if (p.isOpen() && p.via != from.via) {
        forwardMessage(from, SyncSession.encodeUpdate(update));
        return;
      }
    }
  }

  /** Sends one message to every open peer; the frames are built once. */
  private void broadcast(byte[] message) {
    byte[][] frames = splitter.split(message);
    Uint8Array[] js = null;
    int ops = credit.opsOf(message);
    for (Peer p : peers.values().toArray(new Peer[0])) {
      if (!p.isOpen() || credit.holdOutgoing(p, message, ops)) {
        continue;
      }
      if (js == null && !Peer.RELAY.equals(p.path)) {
        js = new Uint8Array[frames.length];
        for (int i = 0; i < frames.length; i++) {
          js[i] = Bytes.toJs(frames[i]);
        }
      }
      sendFrames(p, message, frames, js);
    }
  }

  /** Sends one message to one peer, unless it asked us to wait (then it goes when the wait is over). */
  private void send(Peer p, byte[] message) {
    if (!credit.holdOutgoing(p, message, credit.opsOf(message))) {
      sendNow(p, message);
    }
  }

  /** For tests only: sends a message to every open peer now, past the credit gate; returns how many. */
  int testSendRaw(byte[] message) {
    int n = 0;
    for (Peer p : peers.values().toArray(new Peer[0])) {
      if (p.isOpen()) {
        sendNow(p, message);
        n++;
      }
    }
    return n;
  }

  /** Sends one message to one peer now, whatever it asked. */
  void sendNow(Peer p, byte[] message) {
    sendFrames(p, message, splitter.split(message), null);
  }

  private void sendFrames(Peer p, byte[] message, byte[][] frames, Uint8Array[] js) {
    p.messagesOut++;
    boolean sent = true;
    int type = message[0]; // types are below 128: one byte
    if (keep && p.keeper && (type == SyncSession.UPDATE || type == SyncSession.SYNC_STEP2)) {
      p.unacked++; // the keeper acks each one once it is stored
    }
    for (int i = 0; i < frames.length; i++) {
      byte[] f = frames[i];
      p.bytesOut += f.length;
      switch (p.path) {
        case Peer.WEBRTC:
          sent &= sendOnChannel(p, js != null ? js[i] : Bytes.toJs(f));
          break;
        case Peer.RELAY:
          sent &= p.via.relay(p.serverId, f);
          break;
        default: // TAB
          postTab(TAB_FRAME, p.id, f);
      }
    }
    traceMessage(p, "out", message, sent ? "" : " NOT SENT");
  }

  /**
   * Sends one frame on the peer's data channel, or keeps it in the peer's backlog while the
   * channel holds more than {@link #CHANNEL_HIGH} bytes unsent (or older frames wait): Chromium
   * refuses a send that would put over 16 MiB in the buffer, and a large syncStep2 is sent in
   * one go. The channel's bufferedamountlow event ({@link #CHANNEL_LOW}) drains the backlog in
   * order. False when the channel took nothing (it is not open).
   */
  private boolean sendOnChannel(Peer p, Uint8Array frame) {
    if (!p.backlog.isEmpty() || p.dc.getBufferedAmount() > CHANNEL_HIGH) {
      p.backlog.add(frame);
      return true;
    }
    return Js.sendChannel(p.dc, frame);
  }

  /** Sends the peer's held frames while its channel has room. */
  private void drainBacklog(Peer p, RTCDataChannel dc) {
    while (!p.backlog.isEmpty() && p.dc == dc && dc.getBufferedAmount() <= CHANNEL_HIGH) {
      if (!Js.sendChannel(dc, p.backlog.poll())) {
        p.backlog.clear(); // closed: the close event drops the peer
      }
    }
  }

  // ---- receiving ----

  /** One chunk frame from an open peer: join it, run the session, send the replies. */
  void receiveFrame(Peer p, byte[] frame) {
    p.bytesIn += frame.length;
    byte[] message;
    try {
      message = join(p, frame);
    } catch (MalformedUpdateException e) {
      p.dropped++;
      malformed++;
      if (debug) {
        trace("frame DROPPED from " + p.id + ": " + e.getMessage());
      }
      if (!Peer.RELAY.equals(p.path)) {
        credit.malformed(p, e.getMessage()); // the relay may have dropped frames; other paths lose none
      }
      return;
    }
    if (message != null) {
      p.messagesIn++;
      traceMessage(p, "in", message, "");
      credit.receive(p, message); // processes it now or later, or drops the peer
    }
  }

  /** One whole message that the credit gate let through: run the session, send the replies. */
  void process(Peer p, byte[] message) {
    byte[][] replies;
    boolean wasSynced = p.isSynced();
    try {
      replies = p.session.receive(message, Js.now());
      if (p.keeper && message[0] == SyncSession.ACK && p.unacked > 0) {
        p.unacked--;
        events.emit("kept", keeperJs(p));
      }
    } catch (MalformedUpdateException e) {
      p.dropped++;
      malformed++;
      credit.malformed(p, e.getMessage());
      return;
    }
    credit.processed(p, message.length);
    if (peers.get(p.id) != p) {
      return; // cut off
    }
    for (byte[] r : replies) {
      send(p, r);
    }
    Awareness.Change change = p.session.lastAwarenessChange();
    if (change != null && bringsNewClocks(message)) {
      forwardMessage(p, message);
    }
    if (change != null && !change.isEmpty()) {
      for (int c : change.added()) {
        p.awarenessClients.add(c);
      }
      for (int c : change.updated()) {
        p.awarenessClients.add(c);
      }
      awarenessChanged(change.added(), change.updated(), change.removed());
    }
    if (!wasSynced && p.isSynced()) {
      emitPeers(new String[0], new String[0], null, null);
      syncedChanged();
    }
  }

  /**
   * Joins a frame. When frames were lost (the relay drops what a throttled sender sends), the
   * joiner still waits for the rest of the last message and refuses the next message's first
   * frame; that refusal resets it, and the frame is tried once more, so only the broken message
   * is lost. The resync after a throttle repairs that loss.
   */
  private static byte[] join(Peer p, byte[] frame) {
    try {
      return p.joiner.join(frame);
    } catch (MalformedUpdateException e) {
      p.dropped++;
      if (frame.length > 0 && (frame[0] == 0 || frame[0] == 1)) {
        return p.joiner.join(frame);
      }
      throw e;
    }
  }

  /**
   * The relay on {@code s} dropped our frames (we are out of credit there) until {@code retryMs}
   * from now. Frames to relay peers are not even sent until then; afterwards every relay peer on
   * {@code s} resyncs: both sides send syncStep1 again, so whatever was dropped is sent again.
   */
  void relayThrottled(Signaling s, double retryMs) {
    if (s.pausedUntil > Js.now()) {
      return;
    }
    s.pausedUntil = Js.now() + retryMs;
    Window.setTimeout(() -> guard(() -> {
      for (Peer p : peers.values().toArray(new Peer[0])) {
        if (p.via == s && Peer.RELAY.equals(p.path)) {
          s.signal(p.serverId, Js.handshake("resync", id, false));
          resync(p);
        }
      }
      syncedChanged();
    }), retryMs);
  }

  /** Sends syncStep1 (and the presence) again; the peer answers with what we lack. */
  private void resync(Peer p) {
    p.unacked = 0; // acks of dropped frames never come; what the resync sends is counted again
    sendOpening(p);
  }

  /** Sends what a session sends first: syncStep1 and the presence. */
  private void sendOpening(Peer p) {
    for (byte[] m : p.session.open()) {
      send(p, m);
    }
  }

  /** A relay frame from a peer found through {@code s}. */
  void onRelayFrame(Peer p, byte[] frame) {
    if (Peer.PENDING.equals(p.path)) {
      fallBackToRelay(p, false); // the other side gave up on WebRTC first
    }
    if (Peer.RELAY.equals(p.path)) {
      receiveFrame(p, frame);
    } else {
      p.dropped++;
      malformed++;
    }
  }

  // ---- peers and paths ----

  /** Opens the session on a path: the peer is listed from now on. */
  private void open(Peer p, String path) {
    if (debug) {
      trace("open " + p.id + " " + path + (p.session != null ? " AGAIN from " + p.path : ""));
    }
    Window.clearTimeout(p.connectTimer);
    p.connectTimer = 0;
    p.path = path;
    p.session = new SyncSession(doc, awareness);
    p.joiner = new Chunker(FRAME_SIZE, MAX_MESSAGE);
    p.openedAt = Js.now();
    sendOpening(p);
    emitPeers(new String[] {p.id}, new String[0], null, null);
    syncedChanged();
  }

  void removePeer(Peer p) {
    removePeer(p, null);
  }

  /**
   * The credit gate cut {@code p} off: close its path, drop it with the reason (the peers event
   * lists it in {@code dropped}) and refuse it for a while.
   */
  void cutOff(Peer p, String reason) {
    if (peers.get(p.id) != p) {
      return;
    }
    credit.ban(p.id);
    if (Peer.TAB.equals(p.path)) {
      postTab(TAB_BYE, p.id, new byte[0]);
    }
    removePeer(p, reason);
  }

  private void removePeer(Peer p, String reason) {
    if (peers.get(p.id) != p) {
      if (debug) {
        trace("remove " + p.id + " " + p.path + ": not the listed peer");
      }
      return;
    }
    if (debug) {
      trace("remove " + p.id + " " + p.path + (reason == null ? "" : " " + reason));
    }
    peers.remove(p.id);
    credit.removed(p);
    Window.clearTimeout(p.connectTimer);
    Js.closeConnection(p.pc, p.dc);
    boolean listed = p.isOpen();
    if (!p.awarenessClients.isEmpty()) {
      int[] clients = new int[p.awarenessClients.size()];
      int n = 0;
      for (int c : p.awarenessClients) {
        clients[n++] = c;
      }
      awarenessChanged(new int[0], new int[0], awareness.removeClients(clients));
    }
    if (listed || reason != null) {
      emitPeers(new String[0], new String[] {p.id}, reason == null ? null : p.id, reason);
    }
    syncedChanged();
  }

  /** A signaling connection is gone: peers that depended on it go too; open data channels stay. */
  void connectionLost(Signaling s) {
    for (Peer p : peers.values().toArray(new Peer[0])) {
      if (p.via == s && !Js.isOpen(p.dc)) {
        removePeer(p);
      }
    }
  }

  private int webrtcCount() {
    int n = 0;
    for (Peer p : peers.values()) {
      if (p.pc != null) {
        n++;
      }
    }
    return n;
  }

  /** A signal from {@code pid} (server id {@code from} on {@code s}); fields are checked here. */
  void onSignal(Signaling s, String from, String pid, String t, JSObject data) {
    Peer p = peers.get(pid);
    if (debug) {
      trace("signal-in " + t + " from " + pid + "@" + from + " on " + signaling.indexOf(s)
          + (p == null ? " (new)" : " (" + p.path + (p.via == s ? "" : ", other server") + (p.pc == null ? "" : ", pc") + ")"));
    }
    if (p == null && credit.isBanned(pid)) {
      if ("hello".equals(t)) {
        s.signal(from, Js.handshake("refused", id, false)); // cut off lately: not re-admitted yet
      }
      return;
    }
    switch (t) {
      case "hello": {
        if (p != null && p.via == s && !Js.isOpen(p.dc)) {
          if (!from.equals(p.serverId)) {
            removePeer(p); // it reconnected before its old connection was reported gone
            p = null;
          } else {
            // a repeated hello (its ack was lost or it rejoined): answer as before
            s.signal(from, Js.handshake("ack", id, Peer.PENDING.equals(p.path)));
            break;
          }
        }
        boolean direct = webrtc && Js.isTrue(data, "webrtc") && webrtcCount() < maxConns;
        s.signal(from, Js.handshake(p != null ? "known" : "ack", id, direct));
        if (p == null) {
          p = new Peer(pid, s, from, false);
          p.keeper = Js.isTrue(data, "keeper");
          peers.put(pid, p);
          if (direct) {
            p.connectTimer = deadline(p, connectTimeout + 1000.0);
          } else {
            open(p, Peer.RELAY);
          }
        }
        break;
      }
      case "ack": {
        s.awaiting.remove(from);
        if (p == null) {
          p = new Peer(pid, s, from, true);
          p.keeper = Js.isTrue(data, "keeper"); // it answers webrtc: false, so the relay opens at once
          peers.put(pid, p);
          if (webrtc && Js.isTrue(data, "webrtc") && webrtcCount() < maxConns) {
            startOffer(p);
          } else {
            if (Js.isTrue(data, "webrtc")) {
              s.signal(from, Js.handshake("relay", id, false)); // it waits for an offer that will not come
            }
            open(p, Peer.RELAY);
          }
        }
        syncedChanged();
        break;
      }
      case "known": // it has us on another path already
      case "refused": // it cut us off lately
        s.awaiting.remove(from);
        syncedChanged();
        break;
      case "relay":
        if (p != null && p.via == s && Peer.PENDING.equals(p.path)) {
          fallBackToRelay(p, false);
        }
        break;
      case "resync":
        if (p != null && p.via == s && Peer.RELAY.equals(p.path)) {
          resync(p);
          syncedChanged();
        }
        break;
      case "sdp":
        onDescription(p, s, data);
        break;
      case "ice": {
        JSObject c = Js.candidate(data, "v");
        if (c == null) {
          malformed++;
        } else if (p != null && p.via == s && p.pc != null) {
          Js.addCandidate(p.pc, c);
        } else if (debug) {
          trace("ice DROPPED for " + pid);
        }
        break;
      }
      default:
        malformed++;
    }
  }

  private int deadline(Peer p, double ms) {
    return Window.setTimeout(() -> guard(() -> {
      p.connectTimer = 0;
      if (peers.get(p.id) == p && Peer.PENDING.equals(p.path)) {
        fallBackToRelay(p, true);
      }
    }), ms);
  }

  /** Gives up on WebRTC for a pending peer and opens the session on the relay. */
  private void fallBackToRelay(Peer p, boolean tell) {
    if (debug) {
      trace("fallback " + p.id + " to relay" + (tell ? ", telling it" : ""));
    }
    Js.closeConnection(p.pc, p.dc);
    p.pc = null;
    p.dc = null;
    if (tell) {
      p.via.signal(p.serverId, Js.handshake("relay", id, false));
    }
    open(p, Peer.RELAY);
  }

  private RTCPeerConnection newConnection(Peer p) {
    RTCPeerConnection pc = Js.newPeerConnection(rtcConfig);
    if (pc == null) {
      return null;
    }
    p.pc = pc;
    pc.setOnIceCandidate(e -> guard(() -> {
      JSObject c = Js.localCandidate(e);
      if (c == null || p.pc != pc) {
        return;
      }
      if (p.descriptionSent) {
        p.via.signal(p.serverId, Js.carrying("ice", id, c));
      } else {
        p.queueCandidate(c);
      }
    }));
    pc.setOnConnectionStateChange(e -> guard(() -> {
      String state = pc.getConnectionState();
      if (debug) {
        trace("pc " + p.id + " " + state + (p.pc == pc ? "" : " (old pc)"));
      }
      if (p.pc == pc && ("failed".equals(state) || "closed".equals(state))) {
        if (Peer.PENDING.equals(p.path)) {
          fallBackToRelay(p, true);
        } else {
          removePeer(p);
        }
      }
    }));
    pc.setOnDataChannel(e -> guard(() -> {
      if (debug) {
        trace("datachannel " + p.id + " " + p.path + (p.pc == pc ? "" : " (old pc)") + (p.dc == null ? "" : " (has dc)")
            + " " + Js.isOpen(e.getChannel()));
      }
      if (p.pc == pc && p.dc == null && Peer.PENDING.equals(p.path)) {
        p.dc = e.getChannel();
        Js.binaryChannel(p.dc);
        watchChannel(p);
      }
    }));
    return pc;
  }

  /**
   * Watches the peer's data channel. The session opens on it once it can carry frames both ways:
   * <ul>
   *   <li>on the offerer (it created the channel) at the channel's open event;</li>
   *   <li>on the answerer (the channel came in a datachannel event) at the offerer's first frame,
   *       which the offerer sends as soon as its side opened: then frames we send do arrive. Only
   *       if none comes within {@link #ANSWER_GRACE_MS} of our open event does the session open
   *       without it.</li>
   * </ul>
   * The answerer does not send earlier because what it sends then can be lost without a trace:
   * on a loaded machine Chromium's datachannel event gave a channel whose readyState was already
   * "open", send() took our syncStep1 and presence without an error, and the other side never
   * received them, while our next message (after the channel's open event fired, twice) arrived;
   * that pair never synced (issue #5, seen in the debug trace). Either way a frame that arrives
   * first opens the session, and a session that stalls unsynced asks again
   * ({@link #askStalledPeersAgain}).
   */
  private void watchChannel(Peer p) {
    RTCDataChannel dc = p.dc;
    dc.setBufferedAmountLowThreshold(CHANNEL_LOW);
    dc.setOnBufferedAmountLow(e -> guard(() -> drainBacklog(p, dc)));
    dc.setOnOpen(e -> guard(() -> {
      if (debug) {
        trace("dc open " + p.id + " " + p.path + (p.dc == dc ? "" : " (old dc)") + (peers.get(p.id) == p ? "" : " (unlisted)"));
      }
      channelOpened(p, dc);
    }));
    dc.setOnMessage(e -> guard(() -> {
      if (p.dc != dc) {
        return;
      }
      if (Peer.PENDING.equals(p.path) && peers.get(p.id) == p) {
        open(p, Peer.WEBRTC); // a frame proves the channel carries them; never drop it
      }
      if (!Peer.WEBRTC.equals(p.path)) {
        if (debug) {
          trace("dc frame DROPPED from " + p.id + " on " + p.path);
        }
        return;
      }
      byte[] frame = Js.bytesOf(e.getData());
      if (frame == null) {
        p.dropped++;
        malformed++;
      } else {
        receiveFrame(p, frame);
      }
    }));
    dc.setOnClose(e -> guard(() -> {
      if (debug) {
        trace("dc close " + p.id + " " + p.path + (p.dc == dc ? "" : " (old dc)"));
      }
      if (p.dc == dc) {
        removePeer(p);
      }
    }));
    if (Js.isOpen(dc)) {
      channelOpened(p, dc); // an answerer's channel may come open: its open event follows, or not
    }
  }

  /** The channel says it is open: the offerer opens the session; the answerer waits a little for a frame. */
  private void channelOpened(Peer p, RTCDataChannel dc) {
    if (p.dc != dc || peers.get(p.id) != p || !Peer.PENDING.equals(p.path)) {
      return;
    }
    if (p.offerer) {
      open(p, Peer.WEBRTC);
      return;
    }
    Window.clearTimeout(p.connectTimer); // the grace period replaces the connect deadline
    p.connectTimer = Window.setTimeout(() -> guard(() -> {
      p.connectTimer = 0;
      if (p.dc == dc && peers.get(p.id) == p && Peer.PENDING.equals(p.path) && Js.isOpen(dc)) {
        if (debug) {
          trace("no frame from " + p.id + " in " + (int) ANSWER_GRACE_MS + " ms: opening anyway");
        }
        open(p, Peer.WEBRTC);
      }
    }), ANSWER_GRACE_MS);
  }

  private void startOffer(Peer p) {
    RTCPeerConnection pc = newConnection(p);
    p.dc = pc == null ? null : Js.openChannel(pc);
    if (p.dc == null) {
      fallBackToRelay(p, true);
      return;
    }
    watchChannel(p);
    p.connectTimer = deadline(p, connectTimeout);
    Js.offer(pc, desc -> guard(() -> {
      if (p.pc != pc) {
        return;
      }
      if (desc == null) {
        fallBackToRelay(p, true);
        return;
      }
      sendDescription(p, desc);
    }));
  }

  private void sendDescription(Peer p, JSObject desc) {
    p.via.signal(p.serverId, Js.carrying("sdp", id, desc));
    p.descriptionSent = true;
    for (JSObject c : p.localCandidates) {
      p.via.signal(p.serverId, Js.carrying("ice", id, c));
    }
    p.localCandidates = new JSObject[0];
  }

  private void onDescription(Peer p, Signaling s, JSObject data) {
    JSObject desc = Js.description(data, "v");
    if (desc == null) {
      malformed++;
      return;
    }
    if (p == null || p.via != s || !Peer.PENDING.equals(p.path)) {
      return; // late or for a peer already on another path
    }
    if ("offer".equals(Js.descriptionType(desc))) {
      if (p.offerer || p.pc != null) {
        malformed++;
        return;
      }
      RTCPeerConnection pc = newConnection(p);
      if (pc == null) {
        fallBackToRelay(p, true);
        return;
      }
      Js.answer(pc, desc, answer -> guard(() -> {
        if (p.pc != pc) {
          return;
        }
        if (answer == null) {
          fallBackToRelay(p, true);
        } else {
          sendDescription(p, answer);
        }
      }));
    } else {
      if (!p.offerer || p.pc == null) {
        malformed++;
        return;
      }
      RTCPeerConnection pc = p.pc;
      Js.accept(pc, desc, ok -> guard(() -> {
        if (ok == null && p.pc == pc && Peer.PENDING.equals(p.path)) {
          fallBackToRelay(p, true);
        }
      }));
    }
  }

  // ---- tabs ----

  private void postTab(int kind, String to, byte[] frame) {
    if (tabs == null) {
      return;
    }
    Encoder e = new Encoder();
    e.writeVarUint(kind);
    e.writeVarString(id);
    e.writeVarString(to);
    e.writeRaw(frame, 0, frame.length);
    Js.post(tabs, Bytes.toJs(e.toBytes()));
  }

  private void onTabMessage(JSObject data) {
    byte[] bytes = Js.bytesOf(data);
    int kind;
    String from;
    String to;
    int start;
    try {
      if (bytes == null) {
        throw new MalformedUpdateException("not binary", 0);
      }
      Decoder d = new Decoder(bytes);
      kind = d.readVarUint();
      from = d.readVarString();
      to = d.readVarString();
      start = d.position();
    } catch (MalformedUpdateException e) {
      malformed++;
      return;
    }
    if (from.isEmpty() || from.length() > Signaling.MAX_ID || from.equals(id) || !(to.isEmpty() || to.equals(id))) {
      return; // not for this provider (another tab's traffic, or ours)
    }
    Peer p = peers.get(from);
    if (p == null && credit.isBanned(from)) {
      return; // cut off lately: not re-admitted yet
    }
    switch (kind) {
      case TAB_HELLO:
        if (p == null) {
          p = new Peer(from, null, null, false);
          peers.put(from, p);
          postTab(TAB_ACK, from, new byte[0]);
          open(p, Peer.TAB);
        }
        break;
      case TAB_ACK:
        if (p == null) {
          p = new Peer(from, null, null, true);
          peers.put(from, p);
          open(p, Peer.TAB);
        }
        break;
      case TAB_FRAME:
        if (p != null && Peer.TAB.equals(p.path)) {
          byte[] frame = new byte[bytes.length - start];
          System.arraycopy(bytes, start, frame, 0, frame.length);
          receiveFrame(p, frame);
        }
        break;
      case TAB_BYE:
        if (p != null && Peer.TAB.equals(p.path)) {
          removePeer(p);
        }
        break;
      default:
        malformed++;
    }
  }

  // ---- status, peers and synced ----

  /** "connected" once a signaling connection has joined the room (or, with no signaling, when the tab channel is up). */
  String status() {
    if (destroyed) {
      return "disconnected";
    }
    boolean trying = false;
    for (Signaling s : signaling) {
      if (s.joined) {
        return "connected";
      }
      trying |= s.isTrying();
    }
    if (signaling.isEmpty()) {
      return tabs != null ? "connected" : "disconnected";
    }
    return trying ? "connecting" : "disconnected";
  }

  void statusChanged() {
    String now = status();
    if (!now.equals(status)) {
      status = now;
      events.emit("status", Js.record("connected", Js.bool("connected".equals(now)), "status", Js.string(now), null, null));
    }
  }

  /** True when no hello is unanswered and every known peer has applied the other side's state. */
  boolean isSynced() {
    if (destroyed) {
      return false;
    }
    boolean joinedSomewhere = signaling.isEmpty();
    for (Signaling s : signaling) {
      if (!s.awaiting.isEmpty()) {
        return false;
      }
      joinedSomewhere |= s.joined;
    }
    if (!joinedSomewhere && tabs == null) {
      return false;
    }
    for (Peer p : peers.values()) {
      if (!p.isSynced()) {
        return false;
      }
    }
    return true;
  }

  void syncedChanged() {
    boolean now = isSynced();
    if (now != synced || !syncedEmitted && now) {
      synced = now;
      syncedEmitted = true;
      events.emit("synced", Js.record("synced", Js.bool(now), "peers", Js.number(peers.size()), null, null));
    }
  }

  /** The peers event; {@code droppedId} not null: that peer was cut off for {@code reason}. */
  private void emitPeers(String[] added, String[] removed, String droppedId, String reason) {
    JSObject e = Js.record("added", strings(added), "removed", strings(removed), "peers", peersJs());
    JSArray<JSObject> dropped = new JSArray<>();
    if (droppedId != null) {
      dropped.push(Js.record("id", Js.string(droppedId), "reason", Js.string(reason), null, null));
    }
    Js.set(e, "dropped", dropped);
    events.emit("peers", e);
  }

  private static JSArray<JSObject> strings(String[] values) {
    JSArray<JSObject> out = new JSArray<>();
    for (String v : values) {
      out.push(Js.string(v));
    }
    return out;
  }

  /** The room keeper's status, {id, synced, unacked, kept}, or null when no keeper is connected. */
  JSObject keeperJs() {
    for (Peer p : peers.values()) {
      if (p.keeper && p.isOpen()) {
        return keeperJs(p);
      }
    }
    return null;
  }

  private static JSObject keeperJs(Peer p) {
    return Js.keeper(p.id, p.isSynced(), p.unacked);
  }

  /** The open peers, as the API shows them. */
  JSArray<JSObject> peersJs() {
    JSArray<JSObject> out = new JSArray<>();
    for (Peer p : peers.values()) {
      if (p.isOpen()) {
        out.push(p.toJs());
      }
    }
    return out;
  }

  /** Leaves the room, closes every path and timer, and stops listening to the doc. */
  void destroy() {
    if (destroyed) {
      return;
    }
    flush();
    if (awareness.getLocalState() != null) {
      broadcast(SyncSession.encodeAwareness(awareness.setLocalState(null, Js.now())));
    }
    awareness.removeClients(awareness.clients()); // the others' presence went with the connections
    destroyed = true;
    unsubscribe.run();
    Window.clearTimeout(tickTimer);
    for (Peer p : peers.values()) {
      Window.clearTimeout(p.connectTimer);
      Js.closeConnection(p.pc, p.dc);
      credit.removed(p);
    }
    peers.clear();
    for (Signaling s : signaling) {
      s.close();
    }
    if (tabs != null) {
      BroadcastChannel bc = tabs;
      postTab(TAB_BYE, "", new byte[0]);
      tabs = null;
      Js.closeBroadcast(bc);
    }
    if (stopPageHide != null) {
      Js.call(stopPageHide);
    }
    status = "disconnected";
    events.emit("status", Js.record("connected", Js.bool(false), "status", Js.string(status), null, null));
  }
}
