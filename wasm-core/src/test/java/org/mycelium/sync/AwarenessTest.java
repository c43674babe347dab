package org.mycelium.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AwarenessTest {
  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void setLocalState_reachesPeerAsAdded() {
    Awareness a = new Awareness(1);
    Awareness b = new Awareness(2);
    Awareness.Change ch = b.applyUpdate(a.setLocalState(json("{\"name\":\"Ada\"}"), 0), 0);
    assertArrayEquals(new int[] {1}, ch.added());
    assertArrayEquals(json("{\"name\":\"Ada\"}"), b.getState(1));
    assertArrayEquals(new int[] {1}, b.clients());
  }

  @Test
  void applyUpdate_newerClockUpdates_olderIsIgnored() {
    Awareness a = new Awareness(1);
    Awareness b = new Awareness(2);
    byte[] first = a.setLocalState(json("1"), 0);
    byte[] second = a.setLocalState(json("2"), 1);
    b.applyUpdate(second, 1);
    assertTrue(b.applyUpdate(first, 2).isEmpty());
    assertArrayEquals(json("2"), b.getState(1));
    Awareness.Change ch = b.applyUpdate(a.setLocalState(json("3"), 3), 3);
    assertArrayEquals(new int[] {1}, ch.updated());
  }

  @Test
  void setLocalStateNull_removesAtPeer() {
    Awareness a = new Awareness(1);
    Awareness b = new Awareness(2);
    b.applyUpdate(a.setLocalState(json("{}"), 0), 0);
    Awareness.Change ch = b.applyUpdate(a.setLocalState(null, 1), 1);
    assertArrayEquals(new int[] {1}, ch.removed());
    assertNull(b.getState(1));
    assertEquals(0, b.clients().length);
  }

  @Test
  void tick_dropsSilentPeers_andRenewsOwnState() {
    Awareness a = new Awareness(1);
    Awareness b = new Awareness(2);
    a.applyUpdate(b.setLocalState(json("{}"), 0), 0);
    b.applyUpdate(a.setLocalState(json("{}"), 0), 0);
    IntList removed = new IntList();
    assertNull(b.tick(10_000, removed));
    assertEquals(0, removed.size());
    byte[] renewal = b.tick(15_000, removed);
    assertTrue(renewal != null && a.applyUpdate(renewal, 15_000).isEmpty());
    b.tick(30_000, removed);
    assertArrayEquals(new int[] {1}, removed.sorted());
    assertNull(b.getState(1));
  }

  @Test
  void applyUpdate_aboutMyself_isIgnored() {
    Awareness a = new Awareness(1);
    Awareness fake = new Awareness(1);
    a.setLocalState(json("\"mine\""), 0);
    fake.setLocalState(json("\"x\""), 0);
    fake.setLocalState(json("\"y\""), 0);
    assertTrue(a.applyUpdate(fake.encodeAll(), 0).isEmpty());
    assertArrayEquals(json("\"mine\""), a.getLocalState());
  }

  @Test
  void applyUpdate_malformed_throwsAndChangesNothing() {
    Awareness a = new Awareness(1);
    Awareness b = new Awareness(2);
    b.applyUpdate(a.setLocalState(json("{\"v\":1}"), 0), 0);
    byte[] good = new Awareness(3).setLocalState(json("{}"), 0);
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
    assertThrows(MalformedUpdateException.class, () -> b.applyUpdate(truncated, 1));
    assertThrows(MalformedUpdateException.class, () -> b.applyUpdate(new byte[] {(byte) 0xff, (byte) 0xff, 0x7f}, 1));
    byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
    assertThrows(MalformedUpdateException.class, () -> b.applyUpdate(trailing, 1));
    assertArrayEquals(new int[] {1}, b.clients());
  }

  @Test
  void removeClients_reportsThoseThatHadState() {
    Awareness a = new Awareness(1);
    Awareness b = new Awareness(2);
    b.applyUpdate(a.setLocalState(json("{}"), 0), 0);
    assertArrayEquals(new int[] {1}, b.removeClients(new int[] {1, 7}));
    assertArrayEquals(new int[0], b.removeClients(new int[] {1}));
  }
}
