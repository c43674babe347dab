package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.mycelium.sync.Chunker;
import org.mycelium.sync.Doc;
import org.mycelium.sync.SyncSession;

/**
 * A JVM peer for keeper tests: joins a room over {@code /signal} (optionally with
 * {@code keep: true}), says hello to the room's keeper, and syncs a {@link Doc} with it over the
 * relay with a {@link SyncSession} and {@link Chunker} frames, as the browser provider does.
 * Local updates are sent one message per transaction; {@link #updatesSent} and the session's
 * {@code acks()} tell what the keeper has stored.
 */
final class SyncPeer implements AutoCloseable {
  final WsClient ws;
  final String room;
  final Doc doc;
  final String keeperId; // null when the room has no keeper
  final SyncSession session;
  private final Chunker joiner = new Chunker(RoomKeeper.FRAME_SIZE, RoomKeeper.MAX_MESSAGE);
  private final Chunker splitter = new Chunker(RoomKeeper.FRAME_SIZE, RoomKeeper.MAX_MESSAGE);
  int updatesSent; // update and syncStep2 messages sent to the keeper
  boolean keeperAcked; // the keeper answered our hello
  boolean closed; // the connection's close (or error) has been read
  final List<JsonNode> texts = new ArrayList<>(); // text frames other than the keeper's handshake

  private SyncPeer(WsClient ws, String room, Doc doc, String keeperId) {
    this.ws = ws;
    this.room = room;
    this.doc = doc;
    this.keeperId = keeperId;
    this.session = new SyncSession(doc, null);
    doc.onUpdate((update, origin) -> {
      if (origin != session && this.keeperId != null) {
        sendMessage(SyncSession.encodeUpdate(update));
      }
    });
  }

  /** Connects, joins {@code room} (with keep when asked), and opens the session with the keeper. */
  static SyncPeer join(int port, String room, boolean keep, Doc doc) throws Exception {
    WsClient ws = WsClient.connect(port);
    ws.send("{\"type\":\"join\",\"room\":\"" + room + "\"" + (keep ? ",\"keep\":true" : "") + "}");
    JsonNode joined = ws.expect("joined");
    String keeper = joined.hasNonNull("keeper") ? joined.get("keeper").asText() : null;
    SyncPeer p = new SyncPeer(ws, room, doc, keeper);
    if (keeper != null) {
      assertEquals(keeper, joined.get("peers").get(0).asText(), "the keeper is listed first");
      ObjectNode hello = WsClient.JSON.createObjectNode();
      hello.put("type", "signal");
      hello.put("room", room);
      hello.put("to", keeper);
      ObjectNode data = hello.putObject("data");
      data.put("t", "hello");
      data.put("pid", "test-" + ws.id);
      data.put("webrtc", true);
      ws.send(hello.toString());
      p.until(() -> p.keeperAcked, 5000);
      for (byte[] m : p.session.open()) {
        p.sendMessage(m);
      }
    }
    return p;
  }

  void sendMessage(byte[] message) {
    int type = SyncSession.typeOf(message);
    if (type == SyncSession.UPDATE || type == SyncSession.SYNC_STEP2) {
      updatesSent++;
    }
    try {
      for (byte[] f : splitter.split(message)) {
        ws.sendBinary(new RelayFrame(room, keeperId, f).encode());
      }
    } catch (Exception e) {
      throw new IllegalStateException("send failed", e);
    }
  }

  /** Handles what arrives until {@code done} holds; fails after {@code timeoutMs}. */
  void until(BooleanSupplier done, long timeoutMs) throws Exception {
    long end = System.nanoTime() + timeoutMs * 1_000_000;
    while (!done.getAsBoolean()) {
      long left = (end - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        fail("not done within " + timeoutMs + " ms; acks " + session.acks() + " of " + updatesSent
            + ", synced " + session.isSynced());
      }
      WsClient.Frame f = ws.poll(Math.min(left, 100));
      if (f != null) {
        handle(f);
      }
    }
  }

  /** Waits until synced with the keeper and every update sent is acked. */
  void settle(long timeoutMs) throws Exception {
    until(() -> session.isSynced() && session.acks() >= updatesSent, timeoutMs);
  }

  private void handle(WsClient.Frame f) throws Exception {
    if (f.isClose()) {
      fail("closed: " + f);
    }
    if (f.text() != null) {
      JsonNode m = WsClient.JSON.readTree(f.text());
      if ("signal".equals(m.path("type").asText()) && m.path("from").asText().equals(keeperId)) {
        assertEquals(true, m.path("data").path("keeper").asBoolean());
        assertEquals(false, m.path("data").path("webrtc").asBoolean(true));
        keeperAcked = true;
      } else {
        texts.add(m);
      }
      return;
    }
    RelayFrame in = RelayFrame.decode(f.binary());
    assertEquals(keeperId, in.peer(), "relayed from the keeper");
    byte[] message = joiner.join(in.payload());
    if (message != null) {
      for (byte[] r : session.receive(message, 0)) {
        sendMessage(r);
      }
    }
  }

  /** Handles what has arrived so far, without waiting; returns false once the connection has closed. */
  boolean pump() throws Exception {
    for (WsClient.Frame f = closed ? null : ws.poll(); f != null; f = ws.poll()) {
      if (f.isClose()) {
        closed = true;
        return false;
      }
      handle(f);
    }
    return !closed;
  }

  /** Handles frames until the connection closes (at once if it has); fails after {@code timeoutMs}. */
  void drainUntilClosed(long timeoutMs) throws Exception {
    long end = System.nanoTime() + timeoutMs * 1_000_000;
    while (!closed && System.nanoTime() < end) {
      WsClient.Frame f = ws.poll(100);
      if (f != null && f.isClose()) {
        closed = true;
        return;
      }
      if (f != null) {
        handle(f);
      }
    }
    if (!closed) {
      fail("the connection did not close within " + timeoutMs + " ms");
    }
  }

  /** Returns the keeper's last ack, which must exist. */
  byte[] ackedStateVector() {
    assertNotNull(session.ackedStateVector());
    return session.ackedStateVector();
  }

  @Override
  public void close() {
    ws.close();
  }
}
