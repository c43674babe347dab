package org.mycelium.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListTypeTest {
  @Test
  void insert_push_delete_get() {
    Doc d = new Doc(1);
    ListType l = d.getList("l");
    l.push(1, 2, 3);
    l.insert(1, "a", "b");
    assertEquals(List.of(1.0, "a", "b", 2.0, 3.0), l.toJSON());
    l.delete(0, 2);
    assertEquals("b", l.get(0));
    assertEquals(3, l.length());
    assertThrows(IndexOutOfBoundsException.class, () -> l.get(3));
    assertThrows(IndexOutOfBoundsException.class, () -> l.delete(2, 2));
    assertThrows(IllegalArgumentException.class, () -> l.push(1, Double.POSITIVE_INFINITY));
    assertEquals(3, l.length());
  }

  @Test
  void concurrentPushes_doNotInterleave() {
    Doc a = new Doc(1);
    Doc b = new Doc(2);
    a.getList("l").push("a1", "a2");
    a.getList("l").push("a3");
    b.getList("l").push("b1");
    b.getList("l").push("b2", "b3");
    TextTest.sync(a, b);
    assertEquals(List.of("a1", "a2", "a3", "b1", "b2", "b3"), a.getList("l").toJSON());
    assertEquals(a.toJSON(), b.toJSON());
    assertArrayEquals(a.encodeStateAsUpdate(null), b.encodeStateAsUpdate(null));
  }

  @Test
  void observe_reportsInsertedValues() {
    Doc d = new Doc(1);
    ListType l = d.getList("l");
    l.push(1);
    List<String> seen = new ArrayList<>();
    l.observe(e -> seen.add(Dump.delta(e)));
    l.push("x", 2);
    l.delete(0, 1);
    assertEquals(List.of("[retain 1, insert [x, 2.0]]", "[delete 1]"), seen);
  }

  @Test
  void nestedList_insideList() {
    Doc d = new Doc(1);
    ListType l = d.getList("l");
    ListType inner = l.insertList(0);
    inner.push(1);
    l.push("tail");
    assertEquals("[[1.0], tail]", l.toJSON().toString());
    l.delete(0, 1);
    assertThrows(IllegalStateException.class, () -> inner.push(2));
    Doc e = new Doc(2);
    e.applyUpdate(d.encodeStateAsUpdate(null), null);
    assertEquals(d.toJSON(), e.toJSON());
  }

  @Test
  void observeDeep_hearsNestedChanges() {
    Doc a = new Doc(1);
    ListType todos = a.getList("todos");
    MapType first = todos.insertMap(0);
    List<String> seen = new ArrayList<>();
    Runnable off = todos.observeDeep(e -> seen.add((e.target() == todos ? "list" : "map") + e.keys().keySet()));
    a.transact(() -> {
      first.set("done", true);
      todos.push("x");
    }, null);
    assertEquals(List.of("map[done]", "list[]"), seen);
    Doc b = new Doc(2);
    List<Object> remote = new ArrayList<>();
    b.getList("todos").observeDeep(e -> remote.add(e.target()));
    b.applyUpdate(a.encodeStateAsUpdate(null), null);
    ((MapType) b.getList("todos").get(0)).set("title", "milk");
    assertEquals(3, remote.size()); // the load: the list and the map; then the title
    off.run();
    first.set("done", false);
    assertEquals(2, seen.size());
  }
}
