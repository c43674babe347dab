package org.mycelium.sync;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.ref.Reference;

/**
 * Prints the engine's figures on this JVM: CPU time of the calling thread, best of N (so that
 * a busy machine disturbs them less), and heap after full collections. Run after
 * {@code mvn -pl wasm-core test-compile}:
 * {@code java -XX:+UseSerialGC -cp wasm-core/target/classes:wasm-core/target/test-classes
 * org.mycelium.sync.EngineFigures}. The benchmarks module measures the same workloads with JMH
 * and in the browser.
 */
public final class EngineFigures {
  private EngineFigures() {}

  private static long usedHeap() {
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  /** Prints the figures. */
  public static void main(String[] args) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    TypingHistory h = TypingHistory.generate(42);
    long typing = Long.MAX_VALUE;
    Doc d = null;
    for (int run = 0; run < 20; run++) {
      d = new Doc(1);
      long t0 = mx.getCurrentThreadCpuTime();
      h.applyTo(d.getText("t"));
      typing = Math.min(typing, mx.getCurrentThreadCpuTime() - t0);
    }
    byte[] state = d.encodeStateAsUpdate(null);
    d = null;
    long load = Long.MAX_VALUE;
    for (int run = 0; run < 20; run++) {
      Doc e = new Doc(2);
      long t0 = mx.getCurrentThreadCpuTime();
      e.applyUpdate(state, null);
      load = Math.min(load, mx.getCurrentThreadCpuTime() - t0);
    }
    long before = usedHeap();
    Doc loaded = new Doc(3);
    loaded.applyUpdate(state, null);
    long loadedHeap = usedHeap() - before;
    Reference.reachabilityFence(loaded);
    Reference.reachabilityFence(h);
    System.out.println("typing history: " + h.size() + " edits, one transaction each: " + typing / 1_000_000
        + " ms CPU; final length " + loaded.getText("t").length() + "; encoded " + state.length
        + " bytes; load into a new doc " + load / 1_000_000 + " ms CPU; heap after load " + loadedHeap / 1024 + " KB");
    loaded = null;

    byte[][] u = Workloads.concurrentEdits(7);
    long merge = Long.MAX_VALUE;
    for (int run = 0; run < 500; run++) {
      Doc f = new Doc(3);
      f.applyUpdate(u[0], null);
      long t0 = mx.getCurrentThreadCpuTime();
      f.applyUpdate(u[1], null);
      f.applyUpdate(u[2], null);
      merge = Math.min(merge, mx.getCurrentThreadCpuTime() - t0);
    }
    System.out.println("merge 10K ops (two deltas of 5,000 concurrent edits on 1,000 characters, "
        + u[1].length + " + " + u[2].length + " bytes): " + merge / 1000 + " us CPU");

    before = usedHeap();
    Doc m = new Doc(1);
    Workloads.fillMap(m.getMap("m"), 100_000);
    long mapHeap = usedHeap() - before;
    Reference.reachabilityFence(m);
    Reference.reachabilityFence(u);
    Reference.reachabilityFence(state);
    System.out.println("100K map records: heap " + mapHeap / 1024 + " KB");
  }
}
