package org.mycelium.sync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Random peers, ops and network faults; every peer and a peer rebuilt from each one's merged
 * update log must end equal. Keeps drawing seeds for {@code mycelium.test.seconds} seconds;
 * a failure names the seed and the actions that led there.
 */
class ConvergenceTest {
  static int seconds() {
    return Integer.getInteger("mycelium.test.seconds", 3);
  }

  static void runSeed(long seed) {
    java.util.Random r = new java.util.Random(seed);
    int n = 2 + r.nextInt(7);
    int mode = Math.max(0, r.nextInt(4) - 1); // GC everywhere half the time, else keep or mixed
    String keep = mode == 0 ? "none" : mode == 1 ? "all" : "some";
    int steps = 20 + r.nextInt(600);
    Sim sim = new Sim(seed, n, mode);
    try {
      for (int i = 0; i < steps; i++) {
        sim.run(sim.next());
      }
      sim.settleAndCheck();
    } catch (Throwable t) {
      StringBuilder sb = new StringBuilder();
      sb.append("seed ").append(seed).append(" (").append(n).append(" peers, keepDeleted ").append(keep)
          .append(") failed after ").append(sim.history.size()).append(" actions:\n");
      int from = Math.max(0, sim.history.size() - 400);
      for (int i = from; i < sim.history.size(); i++) {
        sb.append("  ").append(i).append(": ").append(sim.history.get(i)).append('\n');
      }
      throw new AssertionError(sb.toString(), t);
    }
  }

  @Test
  void randomPeers_converge() {
    long end = System.nanoTime() + seconds() * 1_000_000_000L;
    long seed = Long.getLong("mycelium.test.seed", System.nanoTime());
    int runs = 0;
    do {
      runSeed(seed + runs);
      runs++;
    } while (System.nanoTime() < end);
    assertTrue(runs > 0);
  }

  @Test
  void fixedSeeds_converge() {
    for (long seed = 1; seed <= 15; seed++) {
      runSeed(seed);
    }
  }
}
