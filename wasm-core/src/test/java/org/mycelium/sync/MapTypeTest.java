package org.mycelium.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MapTypeTest {
  @Test
  void set_get_delete_roundTrip() {
    Doc d = new Doc(1);
    MapType m = d.getMap("m");
    m.set("b", 2);
    m.set("a", "x");
    m.set("c", List.of(1, true));
    assertEquals(2.0, m.get("b"));
    assertEquals(List.of("a", "b", "c"), m.keys());
    assertEquals(3, m.size());
    m.delete("a");
    assertFalse(m.has("a"));
    assertNull(m.get("a"));
    assertEquals("{b=2.0, c=[1.0, true]}", m.toJSON().toString());
  }

  @Test
  void set_badValues_throwIllegalArgument() {
    MapType m = new Doc(1).getMap("m");
    assertThrows(IllegalArgumentException.class, () -> m.set("k", Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> m.set("k", new Object()));
    assertThrows(IllegalArgumentException.class, () -> m.set(null, 1));
    assertEquals(0, m.size());
  }

  @Test
  void concurrentSets_sameKey_converge() {
    Doc a = new Doc(5);
    Doc b = new Doc(3);
    a.getMap("m").set("k", "a");
    b.getMap("m").set("k", "b");
    TextTest.sync(a, b);
    assertEquals(a.getMap("m").get("k"), b.getMap("m").get("k"));
    assertArrayEquals(a.encodeStateAsUpdate(null), b.encodeStateAsUpdate(null));
  }

  @Test
  void nested_todoListOfMaps_syncs() {
    Doc a = new Doc(1);
    ListType todos = a.getList("todos");
    MapType item = todos.insertMap(0);
    item.set("title", "milk");
    item.set("done", false);
    Text notes = item.setText("notes");
    notes.insert(0, "2 litres");
    Doc b = new Doc(2);
    b.applyUpdate(a.encodeStateAsUpdate(null), null);
    assertEquals(a.toJSON(), b.toJSON());
    MapType bi = (MapType) b.getList("todos").get(0);
    bi.set("done", true);
    a.applyUpdate(b.encodeStateAsUpdate(a.encodeStateVector()), null);
    assertEquals(true, item.get("done"));
    assertSame(item, todos.get(0));
    assertEquals("{todos=[{done=true, notes=2 litres, title=milk}]}", a.toJSON().toString());
  }

  @Test
  void deletedNested_isGarbageCollected_andConverges() {
    Doc a = new Doc(1);
    Doc b = new Doc(2);
    MapType inner = a.getMap("m").setMap("inner");
    inner.set("x", 1);
    TextTest.sync(a, b);
    a.getMap("m").delete("inner");
    ((MapType) b.getMap("m").get("inner")).set("y", 2);
    TextTest.sync(a, b);
    assertEquals("{m={}}", a.toJSON().toString());
    assertEquals(a.toJSON(), b.toJSON());
    assertArrayEquals(a.encodeStateAsUpdate(null), b.encodeStateAsUpdate(null));
    assertThrows(IllegalStateException.class, () -> inner.set("z", 3));
  }

  @Test
  void observe_reportsKeyActions() {
    Doc d = new Doc(1);
    MapType m = d.getMap("m");
    m.set("keep", 1);
    m.set("gone", 1);
    List<String> seen = new ArrayList<>();
    m.observe(e -> {
      for (Map.Entry<String, KeyChange> en : e.keys().entrySet()) {
        seen.add(en.getKey() + ":" + en.getValue().action() + ":" + en.getValue().oldValue());
      }
    });
    d.transact(() -> {
      m.set("keep", 2);
      m.delete("gone");
      m.set("new", 3);
    }, null);
    assertEquals(List.of("gone:delete:1.0", "keep:update:1.0", "new:add:null"), seen);
  }

  @Test
  void getOtherKind_sameName_throws() {
    Doc d = new Doc(1);
    d.getMap("x");
    assertSame(d.getMap("x"), d.getMap("x"));
    assertThrows(IllegalStateException.class, () -> d.getText("x"));
  }

  @Test
  void values_areNormalisedAndUnmodifiable() {
    Doc d = new Doc(1);
    MapType m = d.getMap("m");
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("z", 1L);
    in.put("a", 2.5f);
    m.set("o", in);
    Object out = m.get("o");
    assertEquals("{a=2.5, z=1.0}", out.toString());
    assertThrows(UnsupportedOperationException.class, () -> ((Map<String, Object>) out).put("q", 1));
    assertTrue(m.has("o"));
  }

  @Test
  void setMap_deeperThanLimit_throwsIllegalState() {
    Doc d = new Doc(1);
    MapType m = d.getMap("m");
    for (int i = 0; i < AbstractType.MAX_DEPTH; i++) {
      m = m.setMap("k");
    }
    MapType last = m;
    assertThrows(IllegalStateException.class, () -> last.setMap("k"));
    Doc e = new Doc(2);
    e.applyUpdate(d.encodeStateAsUpdate(null), null);
    assertEquals(d.toJSON(), e.toJSON());
  }

  @Test
  void set_valueTooDeepOrCyclic_throwsIllegalArgument() {
    MapType m = new Doc(1).getMap("m");
    List<Object> cyclic = new ArrayList<>();
    cyclic.add(cyclic);
    assertThrows(IllegalArgumentException.class, () -> m.set("k", cyclic));
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("x", Double.NEGATIVE_INFINITY);
    assertThrows(IllegalArgumentException.class, () -> m.set("k", bad));
    assertEquals(0, m.size());
  }

  @Test
  void set_loneSurrogates_becomeReplacementCharacter() {
    Doc a = new Doc(1);
    a.getMap("m").set("k\ud800", "v\udc00");
    assertEquals("v\ufffd", a.getMap("m").get("k\ufffd"));
    Doc b = new Doc(2);
    b.applyUpdate(a.encodeStateAsUpdate(null), null);
    assertEquals(a.toJSON(), b.toJSON());
  }

  @Test
  void splitTombstoneRunAtEndOfKeyChain_isCollectedWithItsMap() {
    Doc a = new Doc(1);
    MapType inner = a.getMap("m").setMap("inner");
    inner.set("c", 1);
    byte[] early = a.encodeStateAsUpdate(null);
    inner.set("c", 2);
    inner.delete("c");
    Doc b = new Doc(2);
    b.applyUpdate(a.encodeStateAsUpdate(null), null); // the two tombstones arrive as one run
    Doc c = new Doc(0); // a lower client: its entry lands before the run's second tombstone
    c.applyUpdate(early, null);
    ((MapType) c.getMap("m").get("inner")).set("c", "x"); // origin: the first tombstone
    b.applyUpdate(c.encodeStateAsUpdate(b.encodeStateVector()), null); // splits the run
    b.getMap("m").delete("inner");
    for (Doc x : new Doc[] {a, c}) {
      TextTest.sync(x, b);
    }
    TextTest.sync(a, c);
    assertEquals(a.toJSON(), b.toJSON());
    assertArrayEquals(a.encodeStateAsUpdate(null), b.encodeStateAsUpdate(null));
    assertArrayEquals(a.encodeStateAsUpdate(null), c.encodeStateAsUpdate(null));
  }
}
