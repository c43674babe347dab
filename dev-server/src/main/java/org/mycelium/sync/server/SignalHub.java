package org.mycelium.sync.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

  /** What an error costs the connection that caused it. */
  private enum Fault { NONE, VIOLATION, MALFORMED }

  /** One WebSocket connection. */
  private static final class Conn {
    final String id; // server-assigned, unique while the server runs
    final Session session;
    final CreditAccount credit;
    final Set<String> rooms = new TreeSet<>(); // the rooms joined, sorted for metrics
    double lastMessageMs; // host time of the last text or binary frame (or of the connect)
    double noRoomSinceMs; // host time since which the connection is in no room
    double lastNoticeMs = Double.NEGATIVE_INFINITY; // host time of the last throttled notice
    volatile boolean closing; // close requested: ignore whatever it still sends

    Conn(String id, Session session, CreditAccount credit, double nowMs) {
      this.id = id;
      this.session = session;
      this.credit = credit;
      this.lastMessageMs = nowMs;
      this.noRoomSinceMs = nowMs;
    }
  }

  private final SignalLimits limits;
  private final ObjectMapper json = new ObjectMapper();
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
  private int connectionsTotal;
  private int cutOffsTotal;

  SignalHub(SignalLimits limits) {
    this.limits = limits;
    this.ledger = new CreditLedger(limits.credit());
    long tick = Math.max(10, Math.min(1000, Math.min(limits.pingTimeoutMs(), limits.idleTimeoutMs()) / 4));
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "signal-timeouts");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.MILLISECONDS);
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
      ObjectNode notice = message("peer-joined");
      notice.put("room", room);
      notice.put("peer", c.id);
      for (Conn other : members) {
        send(other, notice);
      }
      members.add(c);
      c.rooms.add(room);
    }
    ObjectNode joined = message("joined");
    joined.put("room", room);
    ArrayNode peers = joined.putArray("peers");
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
      return;
    }
    ObjectNode notice = message("peer-left");
    notice.put("room", room);
    notice.put("peer", c.id);
    for (Conn other : members) {
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
    List<Conn> targets = targets(c, room, to == null || to.isNull() ? "" : to.asText(), now);
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
    List<Conn> targets = targets(c, in.room(), in.peer(), now);
    if (targets == null) {
      return;
    }
    byte[] out = new RelayFrame(in.room(), c.id, in.payload()).encode();
    for (Conn t : targets) {
      t.credit.sent(out.length, 1);
      t.session.sendBinary(ByteBuffer.wrap(out), sendCallback(t));
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
    close(c, 1008, reason);
  }

  private static void close(Conn c, int status, String reason) {
    c.closing = true;
    c.session.close(status, clip(reason, MAX_CLOSE_REASON), Callback.NOOP);
  }

  private void send(Conn c, ObjectNode msg) {
    String text = msg.toString();
    c.credit.sent(utf8Length(text), 1);
    c.session.sendText(text, sendCallback(c));
  }

  /** A callback that closes a connection whose outgoing queue overflowed. Takes no lock. */
  private Callback sendCallback(Conn c) {
    return Callback.from(() -> { }, failure -> {
      if (!c.closing && c.session.isOpen()) {
        log.info("signal: closing {}: send failed: {}", c.id, String.valueOf(failure));
        close(c, 1008, "too slow: over " + limits.maxQueuedFrames() + " frames queued");
      }
    });
  }

  private void tick() {
    try {
      synchronized (lock) {
        double now = now();
        for (Conn c : new ArrayList<>(byId.values())) {
          if (c.closing) {
            continue;
          }
          if (now - c.lastMessageMs >= limits.pingTimeoutMs()) {
            close(c, 1001, "ping timeout: nothing received for " + limits.pingTimeoutMs() + " ms");
          } else if (c.rooms.isEmpty() && now - c.noRoomSinceMs >= limits.idleTimeoutMs()) {
            close(c, 1001, "idle: in no room for " + limits.idleTimeoutMs() + " ms");
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
    } while (byId.containsKey(id));
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

  /** Stops the timeout checks. */
  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
