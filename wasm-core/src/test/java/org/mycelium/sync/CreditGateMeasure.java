package org.mycelium.sync;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the credit gate adds per message on the JVM, without a browser's noise: 100,000
 * single-insert update messages (what the throughput benchmark's "one task each" mode sends),
 * received through a SyncSession alone and through a CreditGate around it (arrive, processed,
 * and opsOf on the sending side), alternating, medians of 7 rounds. Not a test; run with
 * {@code mvn -q -pl wasm-core test-compile && java -cp wasm-core/target/classes:wasm-core/target/test-classes org.mycelium.sync.CreditGateMeasure}.
 */
public final class CreditGateMeasure {
  private CreditGateMeasure() {
  }

  public static void main(String[] args) {
    int n = 100_000;
    Doc src = new Doc(1);
    List<byte[]> msgs = new ArrayList<>();
    src.onUpdate((u, o) -> msgs.add(SyncSession.encodeUpdate(u)));
    Text t = src.getText("t");
    for (int i = 0; i < n; i++) {
      t.insert(t.length(), "x");
    }
    double[] plain = new double[7];
    double[] gated = new double[7];
    for (int round = 0; round < 2 * plain.length + 2; round++) {
      boolean withGate = round % 2 == 1;
      Doc d = new Doc(2);
      SyncSession s = new SyncSession(d, null);
      CreditGate g = new CreditGate(new CreditLedger(CreditPolicy.defaults()).account("p", 0));
      long start = System.nanoTime();
      double now = 0;
      for (byte[] m : msgs) {
        now += 0.01;
        if (withGate) {
          g.holdOutgoing(m, CreditGate.opsOf(m), now); // the sender's share, counted here for simplicity
          if (g.arrive(m, now) != CreditGate.PROCESS) {
            throw new IllegalStateException("throttled at " + now);
          }
        }
        s.receive(m, now);
        if (withGate) {
          g.processed(m.length, s, now);
        }
      }
      double ms = (System.nanoTime() - start) / 1e6;
      if (round >= 2) {
        (withGate ? gated : plain)[(round - 2) / 2] = ms;
      }
    }
    Arrays.sort(plain);
    Arrays.sort(gated);
    System.out.printf("%d single-insert messages: session alone %.1f ms (median of 7; %s), with the gate %.1f ms (%s): +%.2f us a message (%+.1f%%)%n",
        n, plain[3], Arrays.toString(plain), gated[3], Arrays.toString(gated), (gated[3] - plain[3]) * 1000 / n,
        (gated[3] / plain[3] - 1) * 100);
  }
}
