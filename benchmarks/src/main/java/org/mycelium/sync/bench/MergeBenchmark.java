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
 * Budget "merge 10K ops" (< 10 ms): two peers each made 5,000 concurrent edits on a shared
 * 1,000-character text; a fresh doc that holds the base text applies both deltas.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class MergeBenchmark {
  private Workloads.Merge merge;
  private Doc fresh;

  /** Builds the two deltas once. */
  @Setup(Level.Trial)
  public void build() {
    merge = Workloads.merge();
  }

  /** A fresh doc with the base text, before each merge (not timed). */
  @Setup(Level.Invocation)
  public void freshDoc() {
    fresh = new Doc(4);
    fresh.applyUpdate(merge.base, null);
  }

  /** Applies both 5,000-edit deltas. */
  @Benchmark
  public int merge10k() {
    fresh.applyUpdate(merge.deltaA, null);
    fresh.applyUpdate(merge.deltaB, null);
    return fresh.getText("t").length();
  }
}
