package org.mycelium.sync.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.mycelium.sync.CreditAccount;
import org.mycelium.sync.CreditLedger;
import org.mycelium.sync.MalformedUpdateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms of {@code /signal}: who is connected, who is in which room, and the routing of
 * signals and relay frames between them, with every limit of {@link SignalLimits} and a credit
 * account per connection. docs/SIGNALING.md is the protocol; this class is its only
 * implementation.
 *
 * <p>Threads: Jetty calls in from many threads; all state is guarded by {@code lock}. Sends are
 * asynchronous (Jetty queues them), so nothing blocks while holding the lock; send callbacks
 * never take the lock, so Jetty's locks and this one are never taken in opposite orders.
 */
final class SignalHub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SignalHub.class);
  private static final int RECENT_CUT_OFFS = 32;
  private static final int MAX_CLOSE_REASON = 120; // a close reason must fit in 123 UTF-8 bytes
  /**
   * Close codes of our own. Jetty closes the TCP connection right after it sends a close with a
   * code from 1001 to 2999, without waiting for the client's answer; a client that is still
   * writing then gets a reset, which discards the close frame and its reason. Codes from 3000 up
   * get the full close handshake. 4000 plus the standard code they stand for.
   */
  static final int CLOSE_POLICY = 4008;
  static final int CLOSE_TIMEOUT = 4001;

  /** What an error costs the connection that caused it. */
  private enum Fault { NONE, VIOLATION, MALFORMED }

  /** One WebSocket connection. */
  private static final class Conn {
    final String id; // server-assigned, unique while the server runs
    final Session session;
    final CreditAccount credit;
    final Set<String> rooms = new TreeSet<>(); // the rooms joined, sorted for metrics
    final Set<String> keepRooms = new TreeSet<>(); // kept rooms joined with keep: true (it gets acks)
    double lastMessageMs; // host time of the last text or binary frame (or of the connect)
    double noRoomSinceMs; // host time since which the connection is in no room
    double lastNoticeMs = Double.NEGATIVE_INFINITY; // host time of the last throttled notice
    volatile boolean closing; // close requested: ignore whatever it still sends
    double closingSinceMs; // host time of the close request; meaningful while closing
    final AtomicLong queuedBytes = new AtomicLong(); // handed to Jetty, not yet written

    Conn(String id, Session session, CreditAccount credit, double nowMs) {
      this.id = id;
      this.session = session;
      this.credit = credit;
      this.lastMessageMs = nowMs;
      this.noRoomSinceMs = nowMs;
    }
  }

  private final SignalLimits limits;
  // Floats as BigDecimal: a signal's data is forwarded without rounding any number to a double.
  private final ObjectMapper json = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();
  private final SecureRandom random = new SecureRandom();
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService ticker;
  private final Object lock = new Object();
  // Guarded by lock:
  private final CreditLedger ledger;
  private final Map<String, Conn> bySession = new HashMap<>(); // Jetty session id -> connection
  private final Map<String, Conn> byId = new TreeMap<>(); // peer id -> connection, sorted for metrics
  private final Map<String, LinkedHashSet<Conn>> rooms = new TreeMap<>(); // room -> members in join order
  private final ArrayDeque<ObjectNode> recentCutOffs = new ArrayDeque<>();
  private final Map<String, String> keeperOf = new TreeMap<>(); // kept room -> the keeper's server id
  private RoomKeeper keeper; // null: no room is kept; set once before the server starts
  private int connectionsTotal;
  private int cutOffsTotal;

  SignalHub(SignalLimits limits) {
    this.limits = limits;
    this.ledger = new CreditLedger(limits.credit());
    int shortest = Math.min(limits.closeGraceMs(), Math.min(limits.pingTimeoutMs(), limits.idleTimeoutMs()));
    long tick = Math.max(10, Math.min(1000, shortest / 4));
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "signal-timeouts");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.MILLISECONDS);
  }

  /** Lets {@code keeper} keep the rooms it allows; call once, before any connection. */
  void keeper(RoomKeeper keeper) {
    synchronized (lock) {
      this.keeper = keeper;
    }
  }

  /** The host's time for the ledger: ms since this hub started, as a double. */
  private double now() {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  // ---- Events from Javalin ----

  void open(String sessionId, Session session) {
    long hardText = (long) limits.maxTextBytes() * limits.hardLimitFactor();
    long hardBinary = (long) limits.maxBinaryBytes() * limits.hardLimitFactor();
    session.setMaxTextMessageSize(hardText);
    session.setMaxBinaryMessageSize(hardBinary);
    session.setMaxFrameSize(Math.max(hardText, hardBinary));
    session.setMaxOutgoingFrames(limits.maxQueuedFrames());
    // Jetty's own idle timeout is a backstop behind the ping timeout, which says why it closes.
    session.setIdleTimeout(Duration.ofMillis(2L * limits.pingTimeoutMs()));
    synchronized (lock) {
      double now = now();
      String id = newId();
      Conn c = new Conn(id, session, ledger.account(id, now), now);
      bySession.put(sessionId, c);
      byId.put(id, c);
      connectionsTotal++;
      ObjectNode welcome = message("welcome");
      welcome.put("id", id);
      welcome.set("limits", limitsJson());
      send(c, welcome);
    }
  }

  void text(String sessionId, String text) {
    frame(sessionId, utf8Length(text), limits.maxTextBytes(), "text", (c, now) -> handle(c, text, now));
  }

  void binary(String sessionId, ByteBuffer data) {
    frame(sessionId, data.remaining(), limits.maxBinaryBytes(), "binary", (c, now) -> {
      byte[] frame = new byte[data.remaining()];
      data.get(frame);
      relay(c, frame, now);
    });
  }

  /** What to do with a frame that was admitted and is within its size limit. */
  private interface FrameHandler {
    void handle(Conn c, double now);
  }

  /** Charges a frame of {@code bytes} to its sender, checks its size, and hands it on. */
  private void frame(String sessionId, int bytes, int max, String kind, FrameHandler handler) {
    synchronized (lock) {
      Conn c = bySession.get(sessionId);
      if (c == null || c.closing) {
        return;
      }
      double now = now();
      c.lastMessageMs = now;
      if (!admit(c, bytes, now)) {
        return;
      }
      try {
        if (bytes > max) {
          reject(c, Fault.VIOLATION, "too-big", kind + " frame of " + bytes
              + " bytes is over the limit of " + max, now);
          return;
        }
        handler.handle(c, now);
      } catch (RuntimeException e) {
        log.warn("signal: {} message from {} failed", kind, c.id, e);
        reject(c, Fault.NONE, "internal", "the server failed on this message", now);
      }
    }
  }

  void closed(String sessionId, int status, String reason) {
    synchronized (lock) {
      Conn c = bySession.remove(sessionId);
      if (c == null) {
        return;
      }
      c.closing = true;
      byId.remove(c.id);
      for (String room : new ArrayList<>(c.rooms)) {
        leaveRoom(c, room, now());
      }
      ledger.remove(c.id);
      log.debug("signal: {} closed {} {}", c.id, status, reason);
    }
  }

  void error(String sessionId, Throwable error) {
    log.debug("signal: session {} error: {}", sessionId, String.valueOf(error));
  }

  // ---- Text messages ----

  private void handle(Conn c, String text, double now) {
    JsonNode msg;
    try {
      msg = json.readTree(text);
    } catch (JsonProcessingException e) {
      reject(c, Fault.MALFORMED, "bad-json", "not JSON: " + clip(e.getOriginalMessage(), 200), now);
      return;
    }
    if (msg == null || !msg.isObject()) {
      reject(c, Fault.VIOLATION, "bad-message", "a message is a JSON object", now);
      return;
    }
    JsonNode type = msg.get("type");
    if (type == null || !type.isTextual()) {
      reject(c, Fault.VIOLATION, "bad-message", "missing field type (a string)", now);
      return;
    }
    switch (type.asText()) {
      case "join" -> join(c, msg, now);
      case "leave" -> leave(c, msg, now);
      case "signal" -> signal(c, msg, now);
      case "ping" -> send(c, message("pong"));
      default -> reject(c, Fault.VIOLATION, "unknown-type",
          "unknown message type " + clip(type.asText(), 64), now);
    }
  }

  /** Returns the message's room name, or null after rejecting the message. */
  private String room(Conn c, JsonNode msg, double now) {
    JsonNode r = msg.get("room");
    if (r == null || !r.isTextual() || r.asText().isEmpty() || r.asText().length() > limits.maxRoomLength()) {
      reject(c, Fault.VIOLATION, "bad-message",
          "field room must be a string of 1 to " + limits.maxRoomLength() + " characters", now);
      return null;
    }
    return r.asText();
  }

  private void join(Conn c, JsonNode msg, double now) {
    String room = room(c, msg, now);
    if (room == null) {
      return;
    }
    LinkedHashSet<Conn> members = rooms.get(room);
    JsonNode keep = msg.get("keep");
    boolean wantsKeep = keep != null && keep.isBoolean() && keep.booleanValue()
        && keeper != null && keeper.allows(room);
    if (!c.rooms.contains(room)) {
      if (c.rooms.size() >= limits.maxRooms()) {
        reject(c, Fault.VIOLATION, "too-many-rooms",
            "already in " + c.rooms.size() + " rooms, the limit", now);
        return;
      }
      if (members != null && members.size() >= limits.maxPeersPerRoom()) {
        reject(c, Fault.NONE, "room-full", "room holds " + members.size() + " peers, the limit", now);
        return;
      }
      if (members == null) {
        members = new LinkedHashSet<>();
        rooms.put(room, members);
      }
      members.add(c);
      c.rooms.add(room);
      ObjectNode notice = message("peer-joined");
      notice.put("room", room);
      notice.put("peer", c.id);
      for (Conn other : List.copyOf(members)) { // a copy: a send may drop a slow peer
        if (other != c) {
          send(other, notice);
        }
      }
    }
    if (wantsKeep) {
      c.keepRooms.add(room);
      if (!keeperOf.containsKey(room)) { // the first to ask, or a member that asks on a join again
        String keeperId = newId();
        keeperOf.put(room, keeperId);
        List<String> others = new ArrayList<>();
        for (Conn m : members) {
          if (m != c) {
            others.add(m.id); // the keeper says hello to these; c says hello to the keeper
          }
        }
        keeper.open(room, keeperId, others);
      }
    }
    ObjectNode joined = message("joined");
    joined.put("room", room);
    ArrayNode peers = joined.putArray("peers");
    String keeperId = keeperOf.get(room);
    if (keeperId != null) {
      joined.put("keeper", keeperId);
      peers.add(keeperId);
    }
    for (Conn other : members) {
      if (other != c) {
        peers.add(other.id);
      }
    }
    send(c, joined);
  }

  private void leave(Conn c, JsonNode msg, double now) {
    String room = room(c, msg, now);
    if (room == null) {
      return;
    }
    if (!c.rooms.contains(room)) {
      reject(c, Fault.NONE, "not-in-room", "not in room " + clip(room, 64), now);
      return;
    }
    leaveRoom(c, room, now);
    ObjectNode left = message("left");
    left.put("room", room);
    send(c, left);
  }

  private void leaveRoom(Conn c, String room, double now) {
    c.rooms.remove(room);
    c.keepRooms.remove(room);
    String keeperId = keeperOf.get(room);
    if (keeperId != null) {
      keeper.left(room, c.id);
    }
    if (c.rooms.isEmpty()) {
      c.noRoomSinceMs = now;
    }
    LinkedHashSet<Conn> members = rooms.get(room);
    if (members == null) {
      return;
    }
    members.remove(c);
    if (members.isEmpty()) {
      rooms.remove(room);
      if (keeperId != null) {
        keeperOf.remove(room);
        keeper.close(room);
      }
      return;
    }
    ObjectNode notice = message("peer-left");
    notice.put("room", room);
    notice.put("peer", c.id);
    for (Conn other : List.copyOf(members)) { // a copy: a send may drop a slow peer
      send(other, notice);
    }
  }

  private void signal(Conn c, JsonNode msg, double now) {
    String room = room(c, msg, now);
    if (room == null) {
      return;
    }
    JsonNode data = msg.get("data");
    if (data == null || data.isNull()) {
      reject(c, Fault.VIOLATION, "bad-message", "missing field data", now);
      return;
    }
    JsonNode to = msg.get("to");
    if (to != null && !to.isNull() && !to.isTextual()) {
      reject(c, Fault.VIOLATION, "bad-message", "field to must be a peer id", now);
      return;
    }
    String toId = to == null || to.isNull() ? "" : to.asText();
    if (toKeeper(c, room, toId)) {
      keeper.signal(room, c.id, data);
      return;
    }
    List<Conn> targets = targets(c, room, toId, now);
    if (targets == null) {
      return;
    }
    ObjectNode out = message("signal");
    out.put("room", room);
    out.put("from", c.id);
    out.set("data", data);
    for (Conn t : targets) {
      send(t, out);
    }
  }

  /**
   * Returns who gets a message from {@code c} in {@code room}: {@code to}, or everyone else when
   * {@code to} is empty; null after rejecting the message.
   */
  private List<Conn> targets(Conn c, String room, String to, double now) {
    if (!c.rooms.contains(room)) {
      reject(c, Fault.VIOLATION, "not-in-room", "not in room " + clip(room, 64), now);
      return null;
    }
    LinkedHashSet<Conn> members = rooms.get(room);
    if (to.isEmpty()) {
      List<Conn> all = new ArrayList<>(members.size());
      for (Conn m : members) {
        if (m != c) {
          all.add(m);
        }
      }
      return all;
    }
    Conn t = byId.get(to);
    if (t == null || t == c || !members.contains(t)) {
      reject(c, Fault.NONE, "no-such-peer", "no peer " + clip(to, 64) + " in room " + clip(room, 64), now);
      return null;
    }
    return List.of(t);
  }

  // ---- Binary relay ----

  private void relay(Conn c, byte[] frame, double now) {
    RelayFrame in;
    try {
      in = RelayFrame.decode(frame);
    } catch (MalformedUpdateException e) {
      reject(c, Fault.MALFORMED, "bad-relay", e.getMessage(), now);
      return;
    }
    if (in.room().isEmpty() || in.room().length() > limits.maxRoomLength()) {
      reject(c, Fault.VIOLATION, "bad-relay",
          "room must be 1 to " + limits.maxRoomLength() + " characters", now);
      return;
    }
    if (toKeeper(c, in.room(), in.peer())) {
      keeper.frame(in.room(), c.id, in.payload(), c.keepRooms.contains(in.room()));
      return;
    }
    List<Conn> targets = targets(c, in.room(), in.peer(), now);
    if (targets == null) {
      return;
    }
    byte[] out = new RelayFrame(in.room(), c.id, in.payload()).encode();
    for (Conn t : targets) {
      if (reserve(t, out.length)) {
        t.credit.sent(out.length, 1);
        t.session.sendBinary(ByteBuffer.wrap(out), sendCallback(t, out.length));
      }
    }
  }

  /**
   * Returns true when {@code to} is the keeper of {@code room} and {@code c} is in the room (a
   * sender outside the room goes on to {@link #targets}, which rejects it).
   */
  private boolean toKeeper(Conn c, String room, String to) {
    return !to.isEmpty() && to.equals(keeperOf.get(room)) && c.rooms.contains(room);
  }

  // ---- The keeper's side (called from its thread) ----

  /** Sends a relay payload from the keeper of {@code room} to {@code to}, if it is still there. */
  void keeperRelay(String room, String keeperId, String to, byte[] payload) {
    synchronized (lock) {
      Conn t = byId.get(to);
      if (t == null || t.closing || !t.rooms.contains(room) || !keeperId.equals(keeperOf.get(room))) {
        return;
      }
      byte[] out = new RelayFrame(room, keeperId, payload).encode();
      if (reserve(t, out.length)) {
        t.credit.sent(out.length, 1);
        t.session.sendBinary(ByteBuffer.wrap(out), sendCallback(t, out.length));
      }
    }
  }

  /** Sends a signal from the keeper of {@code room} to {@code to}, if it is still there. */
  void keeperSignal(String room, String keeperId, String to, ObjectNode data) {
    synchronized (lock) {
      Conn t = byId.get(to);
      if (t == null || t.closing || !t.rooms.contains(room) || !keeperId.equals(keeperOf.get(room))) {
        return;
      }
      ObjectNode out = message("signal");
      out.put("room", room);
      out.put("from", keeperId);
      out.set("data", data);
      send(t, out);
    }
  }

  // ---- Credit, errors and closing ----

  /** Charges a frame to its sender's credit; returns whether to process it. */
  private boolean admit(Conn c, int bytes, double now) {
    int verdict = c.credit.receive(bytes, 1, now);
    if (verdict == CreditLedger.OK) {
      return true;
    }
    if (verdict == CreditLedger.THROTTLED) {
      if (now - c.lastNoticeMs >= 1000) {
        c.lastNoticeMs = now;
        ObjectNode e = error("throttled", "out of credit: frames are dropped until retryMs has passed");
        e.put("retryMs", (long) Math.ceil(c.credit.backOffMs(now)));
        send(c, e);
      }
      return false;
    }
    cutOff(c);
    return false;
  }

  private void reject(Conn c, Fault fault, String code, String message, double now) {
    if (fault == Fault.MALFORMED) {
      c.credit.malformed(code, now);
    } else if (fault == Fault.VIOLATION) {
      c.credit.violation(code, now);
    }
    send(c, error(code, message));
    if (c.credit.state(now) == CreditLedger.CUT_OFF) {
      cutOff(c);
    }
  }

  private void cutOff(Conn c) {
    if (c.closing) {
      return;
    }
    String reason = c.credit.reason();
    cutOffsTotal++;
    ObjectNode record = json.createObjectNode();
    record.put("id", c.id);
    record.put("reason", reason);
    recentCutOffs.addLast(record);
    if (recentCutOffs.size() > RECENT_CUT_OFFS) {
      recentCutOffs.removeFirst();
    }
    log.info("signal: cut off {}: {}", c.id, reason);
    close(c, CLOSE_POLICY, reason);
  }

  private void close(Conn c, int status, String reason) {
    c.closing = true;
    c.closingSinceMs = now();
    c.session.close(status, clip(reason, MAX_CLOSE_REASON), Callback.NOOP);
  }

  private void send(Conn c, ObjectNode msg) {
    String text = msg.toString();
    int bytes = utf8Length(text);
    if (reserve(c, bytes)) {
      c.credit.sent(bytes, 1);
      c.session.sendText(text, sendCallback(c, bytes));
    }
  }

  /** Counts {@code bytes} as queued to {@code c}; drops it and returns false past the limit. */
  private boolean reserve(Conn c, int bytes) {
    if (c.queuedBytes.addAndGet(bytes) > limits.maxQueuedBytes()) {
      c.queuedBytes.addAndGet(-bytes);
      drop(c, "over " + limits.maxQueuedBytes() + " bytes queued");
      return false;
    }
    return true;
  }

  /**
   * Drops a connection that does not read: a close frame would wait behind what is queued, so
   * it is disconnected; onClose then tells its rooms. Takes no lock.
   */
  private static void drop(Conn c, String why) {
    if (!c.closing && c.session.isOpen()) {
      log.info("signal: dropping {}: too slow, {}", c.id, why);
      c.closing = true;
      c.session.disconnect();
    }
  }

  /** A callback that un-counts {@code bytes} once written, and drops the connection if the send failed. */
  private Callback sendCallback(Conn c, int bytes) {
    return Callback.from(() -> c.queuedBytes.addAndGet(-bytes), failure -> {
      c.queuedBytes.addAndGet(-bytes);
      drop(c, "send failed (over " + limits.maxQueuedFrames() + " frames queued?): " + failure);
    });
  }

  private void tick() {
    try {
      synchronized (lock) {
        double now = now();
        for (Conn c : new ArrayList<>(byId.values())) {
          if (c.closing) {
            // A client that does not answer the close within the grace is disconnected.
            if (now - c.closingSinceMs >= limits.closeGraceMs()) {
              c.session.disconnect(); // idempotent; onClose removes the connection
            }
          } else if (now - c.lastMessageMs >= limits.pingTimeoutMs()) {
            close(c, CLOSE_TIMEOUT, "ping timeout: nothing received for " + limits.pingTimeoutMs() + " ms");
          } else if (c.rooms.isEmpty() && now - c.noRoomSinceMs >= limits.idleTimeoutMs()) {
            close(c, CLOSE_TIMEOUT, "idle: in no room for " + limits.idleTimeoutMs() + " ms");
          }
        }
      }
    } catch (RuntimeException e) {
      log.warn("signal: timeout check failed", e);
    }
  }

  // ---- JSON ----

  private ObjectNode message(String type) {
    ObjectNode m = json.createObjectNode();
    m.put("type", type);
    return m;
  }

  private ObjectNode error(String code, String text) {
    ObjectNode e = message("error");
    e.put("code", code);
    e.put("message", text);
    return e;
  }

  private ObjectNode limitsJson() {
    ObjectNode l = json.createObjectNode();
    l.put("maxTextBytes", limits.maxTextBytes());
    l.put("maxBinaryBytes", limits.maxBinaryBytes());
    l.put("maxRooms", limits.maxRooms());
    l.put("maxPeersPerRoom", limits.maxPeersPerRoom());
    l.put("maxRoomLength", limits.maxRoomLength());
    l.put("pingIntervalMs", limits.pingIntervalMs());
    l.put("pingTimeoutMs", limits.pingTimeoutMs());
    l.put("idleTimeoutMs", limits.idleTimeoutMs());
    l.put("maxQueuedBytes", limits.maxQueuedBytes());
    ObjectNode credit = l.putObject("credit");
    credit.put("capacity", (long) limits.credit().capacity());
    credit.put("refillPerSecond", (long) limits.credit().refillPerSecond());
    credit.put("costPerMessage", limits.credit().costPerMessage());
    credit.put("costPerByte", limits.credit().costPerByte());
    return l;
  }

  /** Returns the {@code /metrics} document: totals, rooms and every connection's credit and traffic. */
  String metrics() {
    synchronized (lock) {
      double now = now();
      ObjectNode m = json.createObjectNode();
      m.put("connections", byId.size());
      m.put("connectionsTotal", connectionsTotal);
      m.put("rooms", rooms.size());
      ObjectNode sizes = m.putObject("roomSizes");
      for (Map.Entry<String, LinkedHashSet<Conn>> e : rooms.entrySet()) {
        sizes.put(e.getKey(), e.getValue().size());
      }
      m.put("cutOffsTotal", cutOffsTotal);
      ArrayNode cut = m.putArray("recentCutOffs");
      for (ObjectNode r : recentCutOffs) {
        cut.add(r);
      }
      if (keeper != null) {
        ObjectNode k = keeper.metrics();
        ObjectNode ids = json.createObjectNode();
        keeperOf.forEach(ids::put);
        k.set("keepers", ids);
        m.set("keeper", k);
      }
      ArrayNode peers = m.putArray("peers");
      for (Conn c : byId.values()) {
        CreditAccount a = c.credit;
        ObjectNode p = peers.addObject();
        p.put("id", c.id);
        ArrayNode in = p.putArray("rooms");
        for (String r : c.rooms) {
          in.add(r);
        }
        p.put("state", CreditLedger.stateName(a.state(now)));
        p.put("balance", (long) Math.floor(a.balance(now)));
        double backOff = a.backOffMs(now);
        if (backOff == Double.POSITIVE_INFINITY) {
          p.putNull("backOffMs");
        } else {
          p.put("backOffMs", (long) backOff);
        }
        p.put("messagesIn", (long) a.messagesIn());
        p.put("bytesIn", (long) a.bytesIn());
        p.put("opsIn", (long) a.opsIn());
        p.put("messagesOut", (long) a.messagesOut());
        p.put("bytesOut", (long) a.bytesOut());
        p.put("opsOut", (long) a.opsOut());
        p.put("held", a.held());
        p.put("rejected", a.rejected());
        p.put("violations", a.violations());
        p.put("reason", a.reason());
      }
      return m.toString();
    }
  }

  // ---- Helpers ----

  private String newId() {
    String id;
    do {
      StringBuilder sb = new StringBuilder(16);
      for (int i = 0; i < 16; i++) {
        sb.append(Character.forDigit(random.nextInt(16), 16));
      }
      id = sb.toString();
    } while (byId.containsKey(id) || keeperOf.containsValue(id));
    return id;
  }

  /** Returns the number of bytes {@code s} takes in UTF-8 (unpaired surrogates count 3, as Jetty sends them). */
  static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch < 0x80) {
        n += 1;
      } else if (ch < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  private static String clip(String s, int max) {
    if (s == null) {
      return "";
    }
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }

  /** Stops the timeout checks and the keeper (which finishes its queue and closes its store). */
  @Override
  public void close() {
    ticker.shutdownNow();
    RoomKeeper k;
    synchronized (lock) {
      k = keeper;
    }
    if (k != null) {
      k.close(); // outside the lock: its thread may be calling in
    }
  }
}
