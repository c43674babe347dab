package org.mycelium.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CounterTest {
  @Test
  void increment_concurrent_sums() {
    Doc a = new Doc(1);
    Doc b = new Doc(2);
    a.getCounter("c").increment(5);
    b.getCounter("c").increment(-2);
    b.transact(() -> {
      b.getCounter("c").increment(0.25);
      b.getCounter("c").increment(0.5);
    }, null);
    TextTest.sync(a, b);
    assertEquals(3.75, a.getCounter("c").value());
    assertEquals(3.75, b.getCounter("c").value());
    assertArrayEquals(a.encodeStateAsUpdate(null), b.encodeStateAsUpdate(null));
  }

  @Test
  void increment_nonFinite_throws() {
    Counter c = new Doc(1).getCounter("c");
    assertThrows(IllegalArgumentException.class, () -> c.increment(Double.NaN));
    assertEquals(0.0, c.value());
  }

  @Test
  void observe_reportsAmount() {
    Doc d = new Doc(1);
    Counter c = d.getCounter("c");
    List<Double> seen = new ArrayList<>();
    c.observe(e -> seen.add(e.amount()));
    d.transact(() -> {
      c.increment(2);
      c.increment(3);
    }, null);
    assertEquals(List.of(5.0), seen);
  }
}
