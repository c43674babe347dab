package org.mycelium.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncSessionTest {
  /** Two docs joined by two sessions and a pair of in-memory queues. */
  static final class Link {
    final Doc a;
    final Doc b;
    final SyncSession sa;
    final SyncSession sb;
    final ArrayDeque<byte[]> toA = new ArrayDeque<>();
    final ArrayDeque<byte[]> toB = new ArrayDeque<>();

    Link(Doc a, Doc b, Awareness wa, Awareness wb) {
      this.a = a;
      this.b = b;
      sa = new SyncSession(a, wa);
      sb = new SyncSession(b, wb);
      a.onUpdate((u, origin) -> {
        if (origin != sa) {
          toB.add(SyncSession.encodeUpdate(u));
        }
      });
      b.onUpdate((u, origin) -> {
        if (origin != sb) {
          toA.add(SyncSession.encodeUpdate(u));
        }
      });
      for (byte[] m : sa.open()) {
        toB.add(m);
      }
      for (byte[] m : sb.open()) {
        toA.add(m);
      }
    }

    void flush() {
      while (!toA.isEmpty() || !toB.isEmpty()) {
        if (!toA.isEmpty()) {
          for (byte[] r : sa.receive(toA.poll(), 0)) {
            toB.add(r);
          }
        }
        if (!toB.isEmpty()) {
          for (byte[] r : sb.receive(toB.poll(), 0)) {
            toA.add(r);
          }
        }
      }
    }
  }

  @Test
  void open_twoStepSync_bringsBothLevel() {
    Doc a = new Doc(1);
    Doc b = new Doc(2);
    a.getText("t").insert(0, "from a");
    b.getText("t").insert(0, "from b ");
    b.getMap("m").set("k", "v");
    Link link = new Link(a, b, null, null);
    assertFalse(link.sa.isSynced());
    link.flush();
    assertTrue(link.sa.isSynced() && link.sb.isSynced());
    assertEquals(a.toJSON(), b.toJSON());
    assertArrayEquals(a.encodeStateAsUpdate(null), b.encodeStateAsUpdate(null));
  }

  @Test
  void updates_flowAfterSync_withoutEchoes() {
    Doc a = new Doc(1);
    Doc b = new Doc(2);
    Link link = new Link(a, b, null, null);
    link.flush();
    a.getText("t").insert(0, "hello");
    assertEquals(1, link.toB.size());
    link.flush();
    assertEquals("hello", b.getText("t").toString());
    assertTrue(link.toA.isEmpty(), "the update applied from a must not echo back");
  }

  @Test
  void awareness_travelsOnOpenAndAfter() {
    Doc a = new Doc(1);
    Doc b = new Doc(2);
    Awareness wa = new Awareness(1);
    Awareness wb = new Awareness(2);
    wa.setLocalState("{\"name\":\"Ada\"}".getBytes(StandardCharsets.UTF_8), 0);
    Link link = new Link(a, b, wa, wb);
    link.flush();
    assertArrayEquals(new int[] {1}, wb.clients());
    link.sa.receive(SyncSession.encodeAwareness(wb.setLocalState("{}".getBytes(StandardCharsets.UTF_8), 1)), 1);
    assertArrayEquals(new int[] {2}, link.sa.lastAwarenessChange().added());
  }

  @Test
  void receive_malformed_throwsAndChangesNothing() {
    Doc a = new Doc(1);
    a.getText("t").insert(0, "keep");
    SyncSession s = new SyncSession(a, null);
    byte[] before = a.encodeStateAsUpdate(null);
    List<byte[]> bad = new ArrayList<>();
    bad.add(new byte[0]);
    bad.add(new byte[] {9, 0});
    bad.add(new byte[] {SyncSession.UPDATE, 5, 1});
    bad.add(new byte[] {SyncSession.UPDATE, 1, 77});
    bad.add(new byte[] {SyncSession.SYNC_STEP1, 2, 5, 5});
    bad.add(new byte[] {SyncSession.SYNC_STEP2, 0, 0});
    for (byte[] m : bad) {
      assertThrows(MalformedUpdateException.class, () -> s.receive(m, 0));
      assertArrayEquals(before, a.encodeStateAsUpdate(null));
    }
  }

  @Test
  void backoff_isRemembered() {
    SyncSession s = new SyncSession(new Doc(1), null);
    assertEquals(0, s.receive(SyncSession.encodeBackoff(1500), 0).length);
    assertEquals(1500, s.backoffMs());
    assertEquals(SyncSession.BACKOFF, SyncSession.typeOf(SyncSession.encodeBackoff(1)));
    assertEquals(-1, SyncSession.typeOf(new byte[0]));
  }

  @Test
  void receive_ack_countsItAndChangesNothing() {
    Doc a = new Doc(1);
    a.getText("t").insert(0, "x");
    SyncSession s = new SyncSession(a, null);
    byte[] before = a.encodeStateAsUpdate(null);
    byte[] sv = a.encodeStateVector();
    assertEquals(SyncSession.ACK, SyncSession.typeOf(SyncSession.encodeAck(sv)));
    assertArrayEquals(new byte[] {5, 3, 1, 7, 10}, SyncSession.encodeAck(new byte[] {1, 7, 10})); // PROTOCOL.md
    assertEquals(0, s.receive(SyncSession.encodeAck(sv), 0).length);
    assertEquals(0, s.receive(SyncSession.encodeAck(new byte[] {0}), 0).length);
    assertEquals(2, s.acks());
    assertArrayEquals(new byte[] {0}, s.ackedStateVector());
    assertArrayEquals(before, a.encodeStateAsUpdate(null));
    assertThrows(MalformedUpdateException.class, () -> s.receive(new byte[] {SyncSession.ACK, 1, 9}, 0));
    assertThrows(MalformedUpdateException.class, () -> s.receive(new byte[] {6, 0}, 0));
    assertEquals(2, s.acks());
  }

  // ---- what a received message carried, for the host's credit accounting ----

  @Test
  void lastOps_ofAnUpdate_countsStructsAndDeleteRanges_andAllAreNewTheFirstTime() {
    Doc a = new Doc(1);
    Doc b = new Doc(2);
    List<byte[]> updates = new ArrayList<>();
    a.onUpdate((u, o) -> updates.add(u));
    a.getText("t").insert(0, "hello"); // one struct
    a.getText("t").insert(0, "x"); // another struct
    a.getText("t").delete(2, 2); // one delete range (and a split)
    byte[] all = Updates.merge(updates.toArray(new byte[0][]));
    SyncSession s = new SyncSession(b, null);
    s.receive(SyncSession.encodeUpdate(all), 0);
    assertEquals(SyncSession.UPDATE, s.lastType());
    assertTrue(s.lastOps() >= 3, "ops " + s.lastOps());
    assertEquals(s.lastOps(), s.lastNewOps());
    // the same again: nothing new
    s.receive(SyncSession.encodeUpdate(all), 0);
    assertTrue(s.lastOps() >= 3);
    assertEquals(0, s.lastNewOps());
  }

  @Test
  void lastNewOps_ofAPartlyKnownUpdate_countsOnlyTheNewPart() {
    Doc a = new Doc(1);
    Doc b = new Doc(2);
    List<byte[]> updates = new ArrayList<>();
    a.onUpdate((u, o) -> updates.add(u));
    a.getText("t").insert(0, "abc");
    a.getMap("m").set("k", "v");
    SyncSession s = new SyncSession(b, null);
    s.receive(SyncSession.encodeUpdate(updates.get(0)), 0);
    assertEquals(1, s.lastNewOps());
    s.receive(SyncSession.encodeUpdate(Updates.merge(updates.get(0), updates.get(1))), 0);
    assertEquals(2, s.lastOps());
    assertEquals(1, s.lastNewOps());
  }

  @Test
  void lastOps_ofSyncStep2_andAwareness_andSyncStep1() {
    Doc a = new Doc(1);
    a.getText("t").insert(0, "abc");
    Doc b = new Doc(2);
    SyncSession sa = new SyncSession(a, new Awareness(1));
    Awareness wb = new Awareness(2);
    SyncSession sb = new SyncSession(b, wb);
    byte[][] open = sb.open(); // syncStep1 and awareness (empty)
    byte[] step2 = sa.receive(open[0], 0)[0];
    assertEquals(SyncSession.SYNC_STEP1, sa.lastType());
    assertEquals(0, sa.lastOps());
    sb.receive(step2, 0);
    assertEquals(SyncSession.SYNC_STEP2, sb.lastType());
    assertEquals(1, sb.lastOps());
    assertEquals(1, sb.lastNewOps());
    Awareness wa = new Awareness(1);
    byte[] presence = SyncSession.encodeAwareness(wa.setLocalState("{}".getBytes(StandardCharsets.UTF_8), 0));
    sb.receive(presence, 0);
    assertEquals(SyncSession.AWARENESS, sb.lastType());
    assertEquals(1, sb.lastOps());
    assertEquals(0, sb.lastNewOps());
    sb.receive(SyncSession.encodeBackoff(250), 0);
    assertEquals(SyncSession.BACKOFF, sb.lastType());
    assertEquals(250, sb.backoffMs());
    assertEquals(0, sb.lastOps());
  }

  @Test
  void lastType_afterAMalformedMessage_isMinusOne() {
    SyncSession s = new SyncSession(new Doc(1), null);
    s.receive(SyncSession.encodeBackoff(5), 0);
    assertThrows(MalformedUpdateException.class, () -> s.receive(new byte[] {2, 3, 9, 9, 9}, 0));
    assertEquals(-1, s.lastType());
    assertEquals(0, s.lastOps());
  }
}
