package org.mycelium.sync.bench;

import java.lang.management.ManagementFactory;
import org.mycelium.sync.Doc;

/**
 * Cold start on the JVM, run in a fresh JVM each time: from the start of {@code main} (engine
 * classes not yet loaded) to a doc ready with its first op applied. Prints two result lines:
 * that time, and the time from process start (JVM boot included).
 */
public final class ColdStart {
  private ColdStart() {
  }

  /** Measures once and prints the result lines. */
  public static void main(String[] args) {
    long t0 = System.nanoTime();
    Doc d = new Doc(1);
    d.getText("t").insert(0, "a");
    long t1 = System.nanoTime();
    long now = System.currentTimeMillis();
    if (d.getText("t").length() != 1) {
      throw new IllegalStateException("first op not applied");
    }
    long sinceProcess = now - ManagementFactory.getRuntimeMXBean().getStartTime();
    System.out.println("coldStart\t" + (t1 - t0) / 1e6 + "\t" + sinceProcess);
  }
}
