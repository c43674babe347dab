package org.mycelium.sync;

import java.util.Random;

/** The workloads of DESIGN.md's figures, shared by {@link PerfTest} and {@link EngineFigures}. */
public final class Workloads {
  private Workloads() {}

  /**
   * Returns three updates: a 1,000-character text, then two deltas of 5,000 random concurrent
   * single-character edits (a quarter of them deletes) made on it by two peers: 10K ops.
   */
  public static byte[][] concurrentEdits(long seed) {
    Random r = new Random(seed);
    Doc base = new Doc(1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      sb.append((char) ('a' + r.nextInt(26)));
    }
    base.getText("t").insert(0, sb.toString());
    byte[][] out = new byte[3][];
    out[0] = base.encodeStateAsUpdate(null);
    for (int p = 0; p < 2; p++) {
      Doc d = new Doc(10 + p);
      d.applyUpdate(out[0], null);
      byte[] sv = d.encodeStateVector();
      Text t = d.getText("t");
      for (int i = 0; i < 5000; i++) {
        if (r.nextInt(4) == 0 && t.length() > 0) {
          t.delete(r.nextInt(t.length()), 1);
        } else {
          t.insert(r.nextInt(t.length() + 1), String.valueOf((char) ('a' + r.nextInt(26))));
        }
      }
      out[1 + p] = d.encodeStateAsUpdate(sv);
    }
    return out;
  }

  /** Sets {@code n} records ("key" + i to a number, or to a short string for every third). */
  public static void fillMap(MapType m, int n) {
    for (int i = 0; i < n; i++) {
      m.set("key" + i, i % 3 == 0 ? "v" + i : (Object) (double) i);
    }
  }
}
