package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mycelium.sync.Chunker;
import org.mycelium.sync.Doc;
import org.mycelium.sync.SyncSession;

/**
 * The keeper without a server: its {@link RoomKeeper.Net} is a queue, its store fails on
 * demand. A write that fails is not acknowledged; the room reloads and resyncs, and the update
 * is stored and acknowledged once the store works again.
 */
class RoomKeeperStoreFailureTest {
  @TempDir
  Path data;

  /** A SQLite store whose appends fail while {@code failing} is set. */
  static final class FlakyStore implements RoomStore {
    final SqliteRoomStore inner;
    volatile boolean failing;

    FlakyStore(SqliteRoomStore inner) {
      this.inner = inner;
    }

    @Override
    public List<Row> load(String room) {
      return inner.load(room);
    }

    @Override
    public long[] append(List<Append> updates) {
      if (failing) {
        throw new StoreException("append", new java.io.IOException("disk full (simulated)"));
      }
      return inner.append(updates);
    }

    @Override
    public void replace(String room, long upTo, byte[] snapshot) {
      inner.replace(room, upTo, snapshot);
    }

    @Override
    public boolean quarantine(String room, long id, String reason) {
      return inner.quarantine(room, id, reason);
    }

    @Override
    public List<Quarantined> quarantined() {
      return inner.quarantined();
    }

    @Override
    public List<String> rooms() {
      return inner.rooms();
    }

    @Override
    public Size size(String room) {
      return inner.size(room);
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  @Test
  void failedWrite_isNotAcked_andTheRoomResyncsUntilItIsStored() throws Exception {
    BlockingQueue<byte[]> toPeer = new LinkedBlockingQueue<>();
    FlakyStore store = new FlakyStore(SqliteRoomStore.open(data));
    RoomKeeper keeper = new RoomKeeper(store, RoomKeeper.Rule.parse("*"), 100, new RoomKeeper.Net() {
      @Override
      public void relay(String room, String keeperId, String to, byte[] payload) {
        toPeer.add(payload);
      }

      @Override
      public void signal(String room, String keeperId, String to, ObjectNode data) {
      }
    });
    try {
      Doc doc = new Doc(3);
      SyncSession session = new SyncSession(doc, null);
      Chunker chunks = new Chunker(RoomKeeper.FRAME_SIZE, RoomKeeper.MAX_MESSAGE);
      keeper.open("r", "k", List.of());
      ObjectNode hello = WsClient.JSON.createObjectNode().put("t", "hello").put("pid", "p").put("webrtc", false);
      keeper.signal("r", "p", hello);
      store.failing = true;
      doc.getText("t").insert(0, "must not be lost");
      keeper.frame("r", "p", new Chunker(RoomKeeper.FRAME_SIZE, RoomKeeper.MAX_MESSAGE).split(
          SyncSession.encodeUpdate(doc.encodeStateAsUpdate(null)))[0], true);
      // The keeper's answers: syncStep1 on hello, then (after the failed write) syncStep1 again, no ack.
      int step1 = 0;
      for (byte[] f = toPeer.poll(5, TimeUnit.SECONDS); f != null; f = toPeer.poll(500, TimeUnit.MILLISECONDS)) {
        byte[] m = chunks.join(f);
        assertEquals(SyncSession.SYNC_STEP1, SyncSession.typeOf(m), "only syncStep1, never an ack");
        step1++;
        if (step1 == 2) {
          store.failing = false;
          for (byte[] r : session.receive(m, 0)) { // our syncStep2 carries the update again
            keeper.frame("r", "p", new Chunker(RoomKeeper.FRAME_SIZE, RoomKeeper.MAX_MESSAGE).split(r)[0], true);
          }
          break;
        }
      }
      assertEquals(2, step1, "the room resynced after the failed write");
      byte[] ack = chunks.join(toPeer.poll(5, TimeUnit.SECONDS));
      assertNotNull(ack);
      session.receive(ack, 0);
      assertEquals(1, session.acks());
      assertEquals(1, keeper.metrics().get("storeErrors").asInt());
    } finally {
      keeper.close();
    }
    try (SqliteRoomStore s = SqliteRoomStore.open(data)) {
      Doc loaded = new Doc(4);
      s.load("r").forEach(r -> loaded.applyUpdate(r.bytes(), null));
      assertEquals("must not be lost", loaded.getText("t").toString());
      assertTrue(s.size("r").rows() >= 1);
    }
  }
}
