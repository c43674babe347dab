package org.mycelium.sync.bench;

import java.util.concurrent.TimeUnit;
import org.mycelium.sync.Doc;
import org.mycelium.sync.SyncSession;
import org.mycelium.sync.Text;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Budget "sync throughput" (> 1,000 ops/s): two in-process peers joined by a pair of
 * {@link SyncSession}s. Peer A types the first 10,000 edits of the typing history, one
 * transaction each; every update is wrapped as a sync message and handed to B's session at once
 * (a zero-latency, in-order link). Score: edits per second that arrive applied at B.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class SyncBenchmark {
  private Edits edits;
  private Doc a;
  private Doc b;
  private Text textA;

  /** Generates the edits once. */
  @Setup(Level.Trial)
  public void edits() {
    edits = Workloads.typingHistory(Workloads.SYNC_OPS, Workloads.TYPING_SEED);
  }

  /** Two fresh peers, connected and synced (handshake not timed). */
  @Setup(Level.Invocation)
  public void connect() {
    a = new Doc(1);
    b = new Doc(2);
    SyncSession sa = new SyncSession(a, null);
    SyncSession sb = new SyncSession(b, null);
    byte[][] fromA = sa.open();
    byte[][] fromB = sb.open();
    for (byte[] m : fromA) {
      for (byte[] reply : sb.receive(m, 0)) {
        sa.receive(reply, 0);
      }
    }
    for (byte[] m : fromB) {
      for (byte[] reply : sa.receive(m, 0)) {
        sb.receive(reply, 0);
      }
    }
    if (!sa.isSynced() || !sb.isSynced()) {
      throw new IllegalStateException("sessions did not sync");
    }
    a.onUpdate((update, origin) -> sb.receive(SyncSession.encodeUpdate(update), 0));
    textA = a.getText("t");
  }

  /** Peer A makes 10,000 edits; each reaches B through the sessions. */
  @Benchmark
  @OperationsPerInvocation(Workloads.SYNC_OPS)
  public int sync10k() {
    edits.applyTo(textA, 0, Workloads.SYNC_OPS);
    return b.getText("t").length();
  }

  /** Checks that B converged (not timed). */
  @TearDown(Level.Invocation)
  public void check() {
    if (b.getText("t").length() != edits.finalLength
        || !b.getText("t").toString().equals(textA.toString())) {
      throw new IllegalStateException("peer B did not converge");
    }
  }
}
