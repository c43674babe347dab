package org.mycelium.sync.bench;

import java.util.concurrent.TimeUnit;
import org.mycelium.sync.Doc;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The 260K-edit typing history replayed into a fresh doc one edit (one transaction) at a time.
 * Loading its final encoding is {@link StartupBenchmark#loadTypingHistory}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(1)
public class TypingBenchmark {
  private Edits edits;

  /** Generates the history once and checks its final length. */
  @Setup(Level.Trial)
  public void generate() {
    edits = Workloads.typingHistory();
    Doc d = Workloads.typedDoc(edits);
    if (d.getText("t").length() != edits.finalLength) {
      throw new IllegalStateException("replay ended at length " + d.getText("t").length()
          + ", expected " + edits.finalLength);
    }
  }

  /** 260K edits, one API call each. */
  @Benchmark
  public int replay() {
    return Workloads.typedDoc(edits).getText("t").length();
  }
}
