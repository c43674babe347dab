package org.mycelium.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Workloads from DESIGN.md with generous bounds that catch a lost order of magnitude (a
 * quadratic path, a per-character object); the figures themselves are printed and measured
 * properly by the benchmarks module.
 */
class PerfTest {
  /** CPU time of this thread in nanoseconds: a busy machine disturbs it less than wall time. */
  private static long cpu() {
    return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  private static long ms(long t0) {
    return (cpu() - t0) / 1_000_000;
  }

  @Test
  void typingHistory_replaysFastAndRoundTrips() {
    TypingHistory h = TypingHistory.generate(42);
    String want = h.finalText();
    long best = Long.MAX_VALUE;
    Doc d = null;
    for (int run = 0; run < 2; run++) {
      d = new Doc(1);
      Text t = d.getText("t");
      long t0 = cpu();
      h.applyTo(t);
      best = Math.min(best, ms(t0));
      assertEquals(want, t.toString());
    }
    byte[] state = d.encodeStateAsUpdate(null);
    long t1 = cpu();
    Doc e = new Doc(2);
    e.applyUpdate(state, null);
    long load = ms(t1);
    assertEquals(want, e.getText("t").toString());
    System.out.println("typing history: " + h.size() + " edits in " + best + " ms CPU, final length " + want.length()
        + ", encoded " + state.length + " bytes, load " + load + " ms, items " + d.itemCount());
    assertTrue(best < 5000, "typing replay took " + best + " ms");
  }

  @Test
  void merge10kOps_appliesFast() {
    byte[][] u = Workloads.concurrentEdits(7);
    long best = Long.MAX_VALUE;
    for (int run = 0; run < 10; run++) {
      Doc f = new Doc(3);
      f.applyUpdate(u[0], null);
      long t0 = cpu();
      f.applyUpdate(u[1], null);
      f.applyUpdate(u[2], null);
      best = Math.min(best, cpu() - t0);
      assertTrue(!f.hasPending());
    }
    System.out.println("merge 10K ops: " + best / 1000 + " us CPU (deltas " + u[1].length + " + " + u[2].length + " bytes)");
    assertTrue(best < 500_000_000L);
  }

  @Test
  void mapRecords100k_heap() {
    Runtime rt = Runtime.getRuntime();
    long before = used(rt);
    Doc d = new Doc(1);
    MapType m = d.getMap("m");
    Workloads.fillMap(m, 100_000);
    long after = used(rt);
    assertEquals(100_000, m.size());
    System.out.println("100K map records: heap " + (after - before) / 1024 + " KB, items " + d.itemCount());
    assertTrue(after - before < 200L * 1024 * 1024);
  }

  private static long used(Runtime rt) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
