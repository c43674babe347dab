package org.mycelium.sync.bench;

import java.util.concurrent.TimeUnit;
import org.mycelium.sync.Decoder;
import org.mycelium.sync.Encoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Varuint encode and decode of 10K mixed-width values: the innermost loop of every update. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
  private final int[] values = new int[10_000];
  private byte[] encoded;

  /** Fills the values with a spread of widths (1 to 5 bytes). */
  public CodecBenchmark() {
    int x = 12345;
    for (int i = 0; i < values.length; i++) {
      x = x * 1103515245 + 12345;
      values[i] = (x >>> 1) >>> ((i % 5) * 7);
    }
    Encoder e = new Encoder();
    for (int v : values) {
      e.writeVarUint(v);
    }
    encoded = e.toBytes();
  }

  /** Encodes the 10K values. */
  @Benchmark
  public byte[] encode10k() {
    Encoder e = new Encoder();
    for (int v : values) {
      e.writeVarUint(v);
    }
    return e.toBytes();
  }

  /** Decodes the 10K values. */
  @Benchmark
  public int decode10k() {
    Decoder d = new Decoder(encoded);
    int sum = 0;
    while (!d.isDone()) {
      sum += d.readVarUint();
    }
    return sum;
  }
}
