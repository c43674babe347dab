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
 * Startup on a warm JVM: a doc ready with its first op applied, and a 100K-record doc loaded
 * from its encoding. The cold-JVM figure (class loading included) comes from {@link ColdStart}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class StartupBenchmark {
  private byte[] records;
  private byte[] typed;

  /** Encodes the 100K-record doc and the typed document once. */
  @Setup(Level.Trial)
  public void encode() {
    records = Workloads.recordsDoc().encodeStateAsUpdate(null);
    typed = Workloads.typedDoc(Workloads.typingHistory()).encodeStateAsUpdate(null);
  }

  /** A new doc, its text, and one insert applied. */
  @Benchmark
  public Doc docReady() {
    Doc d = new Doc(1);
    d.getText("t").insert(0, "a");
    return d;
  }

  /** A fresh doc loads the 100K records from their encoding. */
  @Benchmark
  public Doc load100kRecords() {
    Doc d = new Doc(2);
    d.applyUpdate(records, null);
    return d;
  }

  /** A fresh doc loads the final document of the 260K-edit typing history from its encoding. */
  @Benchmark
  public Doc loadTypingHistory() {
    Doc d = new Doc(2);
    d.applyUpdate(typed, null);
    return d;
  }
}
