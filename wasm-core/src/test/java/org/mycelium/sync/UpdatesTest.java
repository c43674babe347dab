package org.mycelium.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpdatesTest {
  /** Updates of a doc that types three transactions. */
  private static List<byte[]> threeUpdates(Doc d) {
    List<byte[]> out = new ArrayList<>();
    d.onUpdate((u, o) -> out.add(u));
    Text t = d.getText("t");
    t.insert(0, "abc");
    t.insert(3, "def");
    t.delete(1, 4);
    return out;
  }

  @Test
  void merge_anyOrder_sameBytesAndEffect() {
    Doc a = new Doc(1);
    List<byte[]> u = threeUpdates(a);
    byte[] m1 = Updates.merge(u.get(0), u.get(1), u.get(2));
    byte[] m2 = Updates.merge(u.get(2), u.get(0), u.get(1), u.get(1));
    assertArrayEquals(m1, m2);
    Doc b = new Doc(2);
    b.applyUpdate(m1, null);
    assertEquals("af", b.getText("t").toString());
    assertArrayEquals(a.encodeStateAsUpdate(null), b.encodeStateAsUpdate(null));
  }

  @Test
  void merge_withGap_keepsLaterRunsPending() {
    Doc a = new Doc(1);
    List<byte[]> u = threeUpdates(a);
    byte[] gap = Updates.merge(u.get(0), u.get(2));
    Doc b = new Doc(2);
    b.applyUpdate(gap, null);
    assertEquals("a", b.getText("t").toString());
    b.applyUpdate(u.get(1), null);
    assertFalse(b.hasPending());
    assertEquals("af", b.getText("t").toString());
    assertArrayEquals(new byte[] {1, 1, 3}, Updates.stateVector(gap));
  }

  @Test
  void diff_againstStateVector_isWhatIsMissing() {
    Doc a = new Doc(1);
    List<byte[]> u = threeUpdates(a);
    Doc b = new Doc(2);
    b.applyUpdate(u.get(0), null);
    byte[] d = Updates.diff(a.encodeStateAsUpdate(null), b.encodeStateVector());
    assertArrayEquals(a.encodeStateAsUpdate(b.encodeStateVector()), d);
    b.applyUpdate(d, null);
    assertArrayEquals(a.encodeStateAsUpdate(null), b.encodeStateAsUpdate(null));
  }

  @Test
  void stateVector_ofFullState_equalsDocs() {
    Doc a = new Doc(1);
    threeUpdates(a);
    a.getMap("m").set("k", 1);
    assertArrayEquals(a.encodeStateVector(), Updates.stateVector(a.encodeStateAsUpdate(null)));
  }

  @Test
  void applyUpdate_outOfOrder_waitsThenIntegrates() {
    Doc a = new Doc(1);
    List<byte[]> u = threeUpdates(a);
    Doc b = new Doc(2);
    b.applyUpdate(u.get(2), null);
    b.applyUpdate(u.get(1), null);
    assertTrue(b.hasPending());
    assertEquals("", b.getText("t").toString());
    b.applyUpdate(u.get(0), null);
    assertFalse(b.hasPending());
    assertEquals("af", b.getText("t").toString());
  }

  @Test
  void applyUpdate_twice_isIdempotentAndSilent() {
    Doc a = new Doc(1);
    List<byte[]> u = threeUpdates(a);
    Doc b = new Doc(2);
    List<byte[]> seen = new ArrayList<>();
    b.onUpdate((x, o) -> seen.add(x));
    for (byte[] x : u) {
      b.applyUpdate(x, "net");
    }
    int n = seen.size();
    for (byte[] x : u) {
      b.applyUpdate(x, "net");
    }
    assertEquals(n, seen.size());
    assertEquals("af", b.getText("t").toString());
  }

  @Test
  void onUpdate_remoteApply_forwardsWhatWasNew() {
    Doc a = new Doc(1);
    List<byte[]> u = threeUpdates(a);
    Doc relay = new Doc(2);
    Doc c = new Doc(3);
    relay.onUpdate((x, o) -> c.applyUpdate(x, "relay"));
    relay.applyUpdate(Updates.merge(u.toArray(new byte[0][])), "net");
    assertArrayEquals(a.encodeStateAsUpdate(null), c.encodeStateAsUpdate(null));
  }

  @Test
  void applyUpdate_hugeTombstoneRunInMap_isOneItem() {
    Doc a = new Doc(1);
    a.getMap("m").set("k", 1);
    Encoder e = new Encoder();
    e.writeVarUint(1);
    e.writeVarUint(1);
    e.writeVarUint(1);
    e.writeVarUint(1);
    e.writeVarUint(1);
    e.writeByte(Item.DELETED | Ref.FLAG_ORIGIN | Ref.FLAG_ORIGIN_SELF);
    e.writeVarUint(0);
    e.writeVarUint(Integer.MAX_VALUE - 1);
    e.writeVarUint(0);
    long t0 = System.nanoTime();
    a.applyUpdate(e.toBytes(), null);
    assertTrue(System.nanoTime() - t0 < 5_000_000_000L); // a loop over the claimed length would take minutes
    assertFalse(a.getMap("m").has("k"));
    assertEquals(2, a.itemCount());
  }

  @Test
  void encodeStateAsUpdate_badStateVector_throws() {
    Doc a = new Doc(1);
    assertThrows(MalformedUpdateException.class, () -> a.encodeStateAsUpdate(new byte[] {5}));
    assertTrue(a.encodeStateAsUpdate(new byte[0]).length > 0);
  }

  @Test
  void transact_nested_emitsOneUpdate() {
    Doc a = new Doc(1);
    List<Object> origins = new ArrayList<>();
    a.onUpdate((x, o) -> origins.add(o));
    a.transact(() -> {
      a.getText("t").insert(0, "x");
      a.transact(() -> a.getMap("m").set("k", 1), "inner");
      a.getCounter("c").increment(1);
    }, "outer");
    a.transact(() -> { }, "empty");
    assertEquals(List.of("outer"), origins);
  }

  @Test
  void observerThrows_updateListenersStillRun_thenRethrown() {
    Doc a = new Doc(1);
    List<byte[]> seen = new ArrayList<>();
    a.getText("t").observe(e -> {
      throw new IllegalStateException("observer bug");
    });
    a.onUpdate((u, o) -> seen.add(u));
    assertThrows(IllegalStateException.class, () -> a.getText("t").insert(0, "x"));
    assertEquals(1, seen.size());
    assertEquals("x", a.getText("t").toString());
    a.getMap("m").set("k", 1);
    assertEquals(2, seen.size());
  }

  @Test
  void merge_nothing_isAnEmptyUpdate() {
    byte[] empty = Updates.merge();
    Doc a = new Doc(1);
    a.applyUpdate(empty, null);
    assertArrayEquals(new Doc(2).encodeStateAsUpdate(null), empty);
    assertArrayEquals(new byte[] {0}, Updates.stateVector(empty));
  }

  @Test
  void doc_clientIds_validated() {
    assertThrows(IllegalArgumentException.class, () -> new Doc(-1));
    assertEquals(Integer.MAX_VALUE, new Doc(Integer.MAX_VALUE).clientId());
    assertEquals(5, Doc.newClientId(() -> 5));
    assertTrue(Doc.newClientId(() -> -7) >= 0);
  }

  @Test
  void keepDeleted_keepsContentOfDeletedRuns() {
    Doc keep = new Doc(1, true);
    keep.getText("t").insert(0, "abcdef");
    keep.getText("t").delete(1, 3);
    Doc gc = new Doc(1);
    gc.getText("t").insert(0, "abcdef");
    gc.getText("t").delete(1, 3);
    assertEquals(keep.toJSON(), gc.toJSON());
    assertFalse(Dump.update(gc.encodeStateAsUpdate(null)).contains("bcd"));
    assertTrue(Dump.update(keep.encodeStateAsUpdate(null)).contains("c=abcdef"), Dump.update(keep.encodeStateAsUpdate(null)));
  }

  @Test
  void opCount_countsStructsAndDeleteRanges_notCharacters() {
    Doc d = new Doc(5);
    java.util.List<byte[]> us = new java.util.ArrayList<>();
    d.onUpdate((u, o) -> us.add(u));
    d.getText("t").insert(0, "a long run of characters is one struct");
    assertEquals(1, Updates.opCount(us.get(0)));
    d.getText("t").delete(0, 2);
    assertEquals(1, Updates.opCount(us.get(1)));
    d.getMap("m").set("a", 1);
    d.getMap("m").set("b", 2);
    assertEquals(4, Updates.opCount(Updates.merge(us.toArray(new byte[0][]))));
    org.junit.jupiter.api.Assertions.assertThrows(MalformedUpdateException.class, () -> Updates.opCount(new byte[] {9}));
  }
}
