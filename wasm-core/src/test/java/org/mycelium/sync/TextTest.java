package org.mycelium.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextTest {
  static void sync(Doc a, Doc b) {
    byte[] ua = a.encodeStateAsUpdate(b.encodeStateVector());
    byte[] ub = b.encodeStateAsUpdate(a.encodeStateVector());
    b.applyUpdate(ua, "sync");
    a.applyUpdate(ub, "sync");
  }

  @Test
  void insert_sequentialTyping_isOneRun() {
    Doc d = new Doc(1);
    Text t = d.getText("t");
    String s = "hello world";
    for (int i = 0; i < s.length(); i++) {
      t.insert(i, s.substring(i, i + 1));
    }
    assertEquals(s, t.toString());
    assertEquals(1, d.itemCount());
  }

  @Test
  void insert_middle_splitsRun() {
    Doc d = new Doc(1);
    Text t = d.getText("t");
    t.insert(0, "held");
    t.insert(3, "lo wor");
    assertEquals("hello word", t.toString());
    t.delete(0, 1);
    t.insert(0, "H");
    assertEquals("Hello word", t.toString());
    assertEquals(10, t.length());
  }

  @Test
  void insert_badIndex_throwsBeforeChange() {
    Doc d = new Doc(1);
    Text t = d.getText("t");
    t.insert(0, "ab");
    assertThrows(IndexOutOfBoundsException.class, () -> t.insert(3, "x"));
    assertThrows(IndexOutOfBoundsException.class, () -> t.insert(-1, "x"));
    assertThrows(IndexOutOfBoundsException.class, () -> t.delete(1, 2));
    assertThrows(IllegalArgumentException.class, () -> t.insert(0, null));
    assertEquals("ab", t.toString());
  }

  @Test
  void concurrentInserts_samePlace_doNotInterleave() {
    for (int order = 0; order < 2; order++) {
      Doc a = new Doc(order == 0 ? 1 : 2);
      Doc b = new Doc(order == 0 ? 2 : 1);
      a.getText("t").insert(0, "<>");
      sync(a, b);
      Text ta = a.getText("t");
      Text tb = b.getText("t");
      ta.insert(1, "a");
      ta.insert(2, "b");
      ta.insert(3, "c");
      tb.insert(1, "x");
      tb.insert(2, "y");
      tb.insert(3, "z");
      sync(a, b);
      String s = ta.toString();
      assertEquals(s, tb.toString());
      assertTrue(s.equals("<abcxyz>") || s.equals("<xyzabc>"), s);
    }
  }

  @Test
  void concurrentDeletesAndInserts_converge() {
    Doc a = new Doc(1);
    Doc b = new Doc(2);
    a.getText("t").insert(0, "abcdefgh");
    sync(a, b);
    a.getText("t").delete(2, 4);
    b.getText("t").insert(4, "XY");
    b.getText("t").delete(0, 1);
    sync(a, b);
    assertEquals(a.getText("t").toString(), b.getText("t").toString());
    assertEquals("bXYgh", a.getText("t").toString());
    assertArrayEquals(a.encodeStateAsUpdate(null), b.encodeStateAsUpdate(null));
  }

  @Test
  void surrogatePair_splitByIndex_roundTrips() {
    Doc a = new Doc(1);
    Text t = a.getText("t");
    t.insert(0, "a\ud83d\ude00b");
    t.insert(2, "|");
    t.delete(1, 1);
    Doc b = new Doc(2);
    b.applyUpdate(a.encodeStateAsUpdate(null), null);
    assertEquals(t.toString(), b.getText("t").toString());
    assertEquals("a|\ude00b", b.getText("t").toString());
  }

  @Test
  void observe_reportsDelta() {
    Doc d = new Doc(1);
    Text t = d.getText("t");
    t.insert(0, "hello");
    List<String> seen = new ArrayList<>();
    Runnable off = t.observe(e -> seen.add(Dump.delta(e) + e.local()));
    d.transact(() -> {
      t.insert(5, "!");
      t.delete(0, 1);
    }, "me");
    assertEquals(List.of("[delete 1, retain 4, insert '!']true"), seen);
    off.run();
    t.insert(0, "x");
    assertEquals(1, seen.size());
  }

  @Test
  void applyUpdate_remoteObserverSeesDelta() {
    Doc a = new Doc(1);
    Doc b = new Doc(2);
    a.getText("t").insert(0, "abc");
    sync(a, b);
    List<String> seen = new ArrayList<>();
    b.getText("t").observe(e -> seen.add(Dump.delta(e) + " " + e.origin() + " " + e.local()));
    a.getText("t").insert(1, "Z");
    sync(a, b);
    assertEquals(List.of("[retain 1, insert 'Z'] sync false"), seen);
  }
}
