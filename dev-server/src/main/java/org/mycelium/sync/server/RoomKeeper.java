package org.mycelium.sync.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.mycelium.sync.Chunker;
import org.mycelium.sync.Decoder;
import org.mycelium.sync.Doc;
import org.mycelium.sync.MalformedUpdateException;
import org.mycelium.sync.SyncSession;
import org.mycelium.sync.Updates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The room keeper: for rooms that ask to be kept (a join with {@code keep: true}) and that the
 * server allows ({@code --keep-rooms}), the server holds the room's {@link Doc} with wasm-core on
 * the JVM, stores every update in a {@link RoomStore}, and takes part in the room as one more
 * peer over the relay, so that a late joiner gets the room's state even when no other peer is
 * online.
 *
 * <h2>As a peer</h2>
 * The keeper has a server id in the room like any connection (listed first in {@code joined},
 * and named in its {@code keeper} field) and a provider id {@code pid} of its own. It speaks the
 * handshake of PROTOCOL.md with {@code webrtc: false} and {@code keeper: true}: a provider that
 * says hello gets an ack and opens the session on the relay at once; when the keeper enters a
 * room that has peers already, it says hello to each. Each peer gets one {@link SyncSession}
 * and one frame joiner, exactly as in the provider; frames are {@link Chunker} frames in relay
 * payloads. Like every provider, the keeper does not pass on updates it applied from a peer
 * (their author sends them to everyone), so it only answers: syncStep2 to a syncStep1, and acks.
 *
 * <h2>Durability and acks</h2>
 * An update or syncStep2 that changed the doc (or left parts of it waiting for missing
 * dependencies) is appended to the store as the bytes the peer sent. A peer that joined with
 * {@code keep: true} then gets an {@code ack} (SyncSession) for every update and syncStep2 it
 * sent, in order, after the write that holds it has committed, with the doc's state vector; a
 * message that changed nothing is acked too (what it carried is stored already), a malformed
 * one is not. Messages are handled in arrival order on one thread; the writes of everything
 * that arrived while the last write ran go into one transaction (group commit), and the acks
 * go out after it. A write that fails is logged and counted, nothing of it is acked, and the
 * rooms it touched are reloaded from the store and resync with their peers, so that the doc
 * in memory never holds what the store lacks for long.
 *
 * <h2>Compaction and corrupt rows</h2>
 * Once a room has more than {@code compactAfter} rows, one snapshot replaces them in one
 * transaction: the doc's full state ({@code encodeStateAsUpdate}, which drops deleted content),
 * or, while some parts wait for missing dependencies (the doc does not hold those), the rows
 * merged byte by byte with {@link Updates#merge}, which needs no doc. A row that does not
 * decode when a room loads is logged, counted in {@code /metrics} and moved to the quarantine
 * table; the room loads without it and every other room is unaffected.
 *
 * <h2>Threads</h2>
 * The hub calls in under its own lock and only enqueues; everything else runs on the thread
 * {@code room-keeper}, which calls the hub ({@link Net}) without holding any lock of its own.
 */
final class RoomKeeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RoomKeeper.class);
  static final int FRAME_SIZE = 16 * 1024; // as the provider's frames
  static final int MAX_MESSAGE = 64 << 20; // as the provider's joiner
  private static final int RECENT_QUARANTINED = 32;

  /** How the keeper reaches peers: the hub, called from the keeper's thread. */
  interface Net {
    /** Sends one relay payload from the keeper {@code keeperId} of {@code room} to peer {@code to}. */
    void relay(String room, String keeperId, String to, byte[] payload);

    /** Sends a signal with {@code data} from the keeper to peer {@code to}. */
    void signal(String room, String keeperId, String to, ObjectNode data);
  }

  /** Which rooms may be kept: {@code --keep-rooms}, a comma-separated list of names, {@code prefix*} or {@code *}. */
  record Rule(List<String> patterns) {
    /** Parses {@code spec}; null or blank keeps no room. */
    static Rule parse(String spec) {
      List<String> out = new ArrayList<>();
      if (spec != null) {
        for (String p : spec.split(",")) {
          if (!p.isBlank()) {
            out.add(p.strip());
          }
        }
      }
      return new Rule(List.copyOf(out));
    }

    /** Returns true when {@code room} may be kept. */
    boolean allows(String room) {
      for (String p : patterns) {
        if (p.endsWith("*") ? room.startsWith(p.substring(0, p.length() - 1)) : room.equals(p)) {
          return true;
        }
      }
      return false;
    }

    /** Returns true when no room may be kept. */
    boolean isEmpty() {
      return patterns.isEmpty();
    }
  }

  // ---- events from the hub ----

  private sealed interface Event permits Open, Signal, Frame, Left, Close, Stop {}

  private record Open(String room, String keeperId, List<String> members) implements Event {}

  private record Signal(String room, String from, JsonNode data) implements Event {}

  private record Frame(String room, String from, byte[] payload, boolean acks) implements Event {}

  private record Left(String room, String peer) implements Event {}

  private record Close(String room) implements Event {}

  private record Stop() implements Event {}

  /** One peer of a kept room. */
  private static final class PeerState {
    final SyncSession session;
    final Chunker joiner = new Chunker(FRAME_SIZE, MAX_MESSAGE);

    PeerState(SyncSession session) {
      this.session = session;
    }
  }

  /** One kept room, loaded. Touched only on the keeper's thread. */
  private static final class Kept {
    final String room;
    final String keeperId; // its server id in the room
    final String pid; // its provider id in handshakes
    Doc doc;
    boolean changed; // the doc's update listener fired during the current apply
    final Map<String, PeerState> peers = new LinkedHashMap<>(); // server id -> session
    int rows; // rows in the store
    long bytes; // bytes in the store

    Kept(String room, String keeperId, String pid) {
      this.room = room;
      this.keeperId = keeperId;
      this.pid = pid;
    }
  }

  /** An ack owed once the batch's write commits. */
  private record OwedAck(Kept kept, String peer) {}

  private final RoomStore store;
  private final Rule rule;
  private final int compactAfter;
  private final Net net;
  private final Chunker splitter = new Chunker(FRAME_SIZE, MAX_MESSAGE); // split() only: stateless
  private final SecureRandom random = new SecureRandom();
  private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final Map<String, Kept> rooms = new HashMap<>(); // keeper thread only
  // The batch being built: appends and the acks they owe (keeper thread only).
  private final List<RoomStore.Append> appends = new ArrayList<>();
  private final List<Kept> appendedTo = new ArrayList<>();
  private final List<OwedAck> owed = new ArrayList<>();

  // Statistics for /metrics, guarded by stats.
  private final Object stats = new Object();
  private final Map<String, ObjectNode> roomStats = new TreeMap<>();
  private final ArrayDeque<ObjectNode> recentQuarantined = new ArrayDeque<>();
  private long updatesStored;
  private long commits;
  private long acksSent;
  private long compactions;
  private long corruptRows;
  private long storeErrors;
  private long malformed;

  RoomKeeper(RoomStore store, Rule rule, int compactAfter, Net net) {
    if (compactAfter < 1) {
      throw new IllegalArgumentException("compactAfter must be at least 1, got " + compactAfter);
    }
    this.store = store;
    this.rule = rule;
    this.compactAfter = compactAfter;
    this.net = net;
    this.thread = new Thread(this::run, "room-keeper");
    thread.setDaemon(true);
    thread.start();
  }

  /** Returns true when {@code room} may be kept. */
  boolean allows(String room) {
    return rule.allows(room);
  }

  /** The hub made {@code keeperId} a member of {@code room}, which has {@code members} already: load it. */
  void open(String room, String keeperId, List<String> members) {
    queue.add(new Open(room, keeperId, List.copyOf(members)));
  }

  /** A signal from peer {@code from} to the keeper of {@code room}. */
  void signal(String room, String from, JsonNode data) {
    queue.add(new Signal(room, from, data));
  }

  /** A relay payload (one chunk frame) from peer {@code from}; {@code acks}: it asked for acks (joined with keep). */
  void frame(String room, String from, byte[] payload, boolean acks) {
    queue.add(new Frame(room, from, payload, acks));
  }

  /** Peer {@code peer} left {@code room}. */
  void left(String room, String peer) {
    queue.add(new Left(room, peer));
  }

  /** The last peer left {@code room}: the keeper leaves too and unloads it (its rows stay stored). */
  void close(String room) {
    queue.add(new Close(room));
  }

  /** Finishes what is queued, then stops the thread and closes the store. */
  @Override
  public void close() {
    queue.add(new Stop());
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.close();
  }

  // ---- the keeper's thread ----

  private void run() {
    List<Event> batch = new ArrayList<>();
    while (true) {
      try {
        Event first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 4096);
        for (Event e : batch) {
          if (e instanceof Stop) {
            commit();
            return;
          }
          if (!(e instanceof Frame)) {
            commit(); // what an open, close or signal sees is stored and acked
          }
          handle(e);
        }
        commit();
      } catch (InterruptedException ie) {
        commit();
        return;
      } catch (RuntimeException err) {
        log.error("keeper: failed on a batch; nothing of it is acked, the rooms it touched reload", err);
        List<Kept> touched = new ArrayList<>(appendedTo);
        appends.clear();
        appendedTo.clear();
        owed.clear();
        for (Kept k : touched) {
          reload(k); // the doc in memory must not hold what the store lacks
        }
      } finally {
        batch.clear();
      }
    }
  }

  private void handle(Event e) {
    try {
      if (e instanceof Open o) {
        load(o);
      } else if (e instanceof Frame f) {
        Kept k = rooms.get(f.room());
        if (k != null) {
          receive(k, f);
        }
      } else if (e instanceof Signal s) {
        Kept k = rooms.get(s.room());
        if (k != null) {
          onSignal(k, s.from(), s.data());
        }
      } else if (e instanceof Left l) {
        Kept k = rooms.get(l.room());
        if (k != null) {
          k.peers.remove(l.peer());
          updateStats(k);
        }
      } else if (e instanceof Close c) {
        Kept k = rooms.remove(c.room());
        synchronized (stats) {
          roomStats.remove(c.room());
        }
        if (k != null) {
          log.debug("keeper: unloaded {}", k.room);
        }
      }
    } catch (RuntimeException err) {
      log.error("keeper: failed on {}", e.getClass().getSimpleName(), err);
    }
  }

  /** Loads a room from the store, quarantining rows that do not decode, and greets its peers. */
  private void load(Open o) {
    long t0 = System.nanoTime();
    Kept k = new Kept(o.room(), o.keeperId(), "keeper-" + Long.toHexString(random.nextLong() >>> 1));
    fill(k);
    rooms.put(k.room, k);
    double ms = (System.nanoTime() - t0) / 1e6;
    log.info("keeper: loaded room {} ({} rows, {} bytes) in {} ms", k.room, k.rows, k.bytes, Math.round(ms));
    synchronized (stats) {
      ObjectNode s = JsonNodeFactory.instance.objectNode();
      s.put("keeper", k.keeperId);
      s.put("loadMs", Math.round(ms * 10) / 10.0);
      roomStats.put(k.room, s);
    }
    maybeCompact(k);
    updateStats(k);
    for (String m : o.members()) {
      net.signal(k.room, k.keeperId, m, handshake("hello", k));
    }
  }

  /** (Re)builds the room's doc from its stored rows. */
  private void fill(Kept k) {
    Doc doc = new Doc(0);
    doc.onUpdate((u, origin) -> k.changed = true);
    int rows = 0;
    long bytes = 0;
    for (RoomStore.Row row : store.load(k.room)) {
      try {
        doc.applyUpdate(row.bytes(), null);
        rows++;
        bytes += row.bytes().length;
      } catch (MalformedUpdateException | IllegalArgumentException bad) {
        quarantine(k.room, row.id(), "does not decode: " + bad.getMessage());
      }
    }
    k.doc = doc;
    k.rows = rows;
    k.bytes = bytes;
  }

  private void quarantine(String room, long id, String reason) {
    log.warn("keeper: room {}: row {} {}; moved to quarantine", room, id, reason);
    boolean moved = false;
    try {
      moved = store.quarantine(room, id, reason);
    } catch (RoomStore.StoreException e) {
      log.error("keeper: could not quarantine row {} of room {}", id, room, e);
    }
    synchronized (stats) {
      corruptRows++;
      ObjectNode q = JsonNodeFactory.instance.objectNode();
      q.put("room", room);
      q.put("id", id);
      q.put("reason", reason);
      q.put("moved", moved);
      recentQuarantined.addLast(q);
      if (recentQuarantined.size() > RECENT_QUARANTINED) {
        recentQuarantined.removeFirst();
      }
    }
  }

  private void onSignal(Kept k, String from, JsonNode data) {
    String t = data == null ? "" : data.path("t").asText("");
    switch (t) {
      case "hello" -> {
        net.signal(k.room, k.keeperId, from, handshake("ack", k));
        openSession(k, from);
      }
      case "ack", "known" -> openSession(k, from);
      case "resync" -> {
        PeerState p = k.peers.get(from);
        if (p != null) {
          send(k, from, p.session.open());
        }
      }
      default -> { } // sdp, ice, relay: the keeper is on the relay already
    }
  }

  private ObjectNode handshake(String t, Kept k) {
    ObjectNode d = JsonNodeFactory.instance.objectNode();
    d.put("t", t);
    d.put("pid", k.pid);
    d.put("webrtc", false);
    d.put("keeper", true);
    return d;
  }

  /** Starts (or restarts) the session with a peer and sends it syncStep1. */
  private PeerState openSession(Kept k, String peer) {
    PeerState p = new PeerState(new SyncSession(k.doc, null));
    k.peers.put(peer, p);
    send(k, peer, p.session.open());
    updateStats(k);
    return p;
  }

  private void receive(Kept k, Frame f) {
    PeerState p = k.peers.get(f.from());
    if (p == null) {
      p = openSession(k, f.from()); // a frame before its hello was handled: a session all the same
    }
    byte[] message;
    try {
      message = join(p, f.payload());
    } catch (MalformedUpdateException e) {
      countMalformed(k, f.from(), e);
      return;
    }
    if (message == null) {
      return;
    }
    int type = SyncSession.typeOf(message);
    boolean carries = type == SyncSession.UPDATE || type == SyncSession.SYNC_STEP2;
    byte[][] replies;
    k.changed = false;
    try {
      replies = p.session.receive(message, System.nanoTime() / 1e6);
    } catch (MalformedUpdateException e) {
      countMalformed(k, f.from(), e);
      return;
    }
    if (carries) {
      if (k.changed || k.doc.hasPending()) {
        byte[] update = payloadOf(message);
        appends.add(new RoomStore.Append(k.room, update));
        appendedTo.add(k);
        k.rows++;
        k.bytes += update.length;
      }
      if (f.acks()) {
        owed.add(new OwedAck(k, f.from()));
      }
    }
    send(k, f.from(), replies);
  }

  /**
   * Joins a frame as the provider does: after lost frames (a throttled sender) the joiner
   * refuses the next message's first frame and resets, so that frame is tried once more and only
   * the broken message is lost.
   */
  private static byte[] join(PeerState p, byte[] frame) {
    try {
      return p.joiner.join(frame);
    } catch (MalformedUpdateException e) {
      if (frame.length > 0 && (frame[0] == 0 || frame[0] == 1)) {
        return p.joiner.join(frame);
      }
      throw e;
    }
  }

  private void countMalformed(Kept k, String from, MalformedUpdateException e) {
    log.debug("keeper: room {}: malformed message from {}: {}", k.room, from, e.getMessage());
    synchronized (stats) {
      malformed++;
    }
  }

  private static byte[] payloadOf(byte[] message) {
    Decoder d = new Decoder(message);
    d.readVarUint();
    return d.readVarBytes();
  }

  /** Writes the batch in one transaction, then sends the acks it owes; compacts rooms past the threshold. */
  private void commit() {
    if (appends.isEmpty() && owed.isEmpty()) {
      return;
    }
    List<Kept> touched = new ArrayList<>();
    for (Kept k : appendedTo) {
      if (!touched.contains(k)) {
        touched.add(k);
      }
    }
    try {
      if (!appends.isEmpty()) {
        store.append(new ArrayList<>(appends));
        synchronized (stats) {
          updatesStored += appends.size();
          commits++;
        }
      }
    } catch (RoomStore.StoreException e) {
      log.error("keeper: write of {} updates failed; nothing of it is acked, the rooms reload", appends.size(), e);
      synchronized (stats) {
        storeErrors++;
      }
      appends.clear();
      appendedTo.clear();
      owed.clear();
      for (Kept k : touched) {
        reload(k);
      }
      return;
    }
    appends.clear();
    appendedTo.clear();
    for (OwedAck a : owed) {
      if (rooms.get(a.kept().room) == a.kept() && a.kept().peers.containsKey(a.peer())) {
        send(a.kept(), a.peer(), new byte[][] {SyncSession.encodeAck(a.kept().doc.encodeStateVector())});
        synchronized (stats) {
          acksSent++;
        }
      }
    }
    owed.clear();
    for (Kept k : touched) {
      maybeCompact(k);
      updateStats(k);
    }
  }

  /** After a failed write: the doc again from the store, and every session again from syncStep1. */
  private void reload(Kept k) {
    try {
      fill(k);
    } catch (RuntimeException e) {
      log.error("keeper: reload of room {} failed", k.room, e);
      return;
    }
    for (String peer : new ArrayList<>(k.peers.keySet())) {
      openSession(k, peer);
    }
  }

  /** Merges the room's rows into one snapshot once it has more than compactAfter rows. */
  private void maybeCompact(Kept k) {
    if (k.rows <= compactAfter) {
      return;
    }
    try {
      List<RoomStore.Row> rows = store.load(k.room);
      if (rows.size() <= 1) {
        return;
      }
      byte[][] parts = new byte[rows.size()][];
      long before = 0;
      for (int i = 0; i < parts.length; i++) {
        parts[i] = rows.get(i).bytes();
        before += parts[i].length;
      }
      // The doc holds exactly what the rows hold (they are applied in order on this thread), and
      // its own encoding drops deleted content: about 30% smaller for typing. Parts still waiting
      // for missing dependencies are not in it, so then the rows are merged byte by byte.
      byte[] snapshot = k.doc.hasPending() ? Updates.merge(parts) : k.doc.encodeStateAsUpdate(null);
      store.replace(k.room, rows.get(rows.size() - 1).id(), snapshot);
      k.rows = 1;
      k.bytes = snapshot.length;
      synchronized (stats) {
        compactions++;
      }
      log.debug("keeper: room {}: {} rows, {} bytes compacted to {} bytes", k.room, rows.size(), before, snapshot.length);
    } catch (RuntimeException e) {
      log.error("keeper: compaction of room {} failed; its rows stay as they are", k.room, e);
    }
  }

  private void send(Kept k, String to, byte[][] messages) {
    for (byte[] m : messages) {
      for (byte[] frame : splitter.split(m)) {
        net.relay(k.room, k.keeperId, to, frame);
      }
    }
  }

  private void updateStats(Kept k) {
    synchronized (stats) {
      ObjectNode s = roomStats.get(k.room);
      if (s == null) {
        return;
      }
      s.put("peers", k.peers.size());
      s.put("rows", k.rows);
      s.put("bytes", k.bytes);
    }
  }

  /** Returns the keeper's part of {@code /metrics}. */
  ObjectNode metrics() {
    synchronized (stats) {
      ObjectNode m = JsonNodeFactory.instance.objectNode();
      ArrayNode patterns = m.putArray("keepRooms");
      rule.patterns().forEach(patterns::add);
      m.put("updatesStored", updatesStored);
      m.put("commits", commits);
      m.put("acksSent", acksSent);
      m.put("compactions", compactions);
      m.put("corruptRows", corruptRows);
      m.put("storeErrors", storeErrors);
      m.put("malformed", malformed);
      ObjectNode r = m.putObject("rooms");
      roomStats.forEach((room, s) -> r.set(room, s.deepCopy()));
      ArrayNode q = m.putArray("recentQuarantined");
      recentQuarantined.forEach(x -> q.add(x.deepCopy()));
      return m;
    }
  }
}
