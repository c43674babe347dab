package org.mycelium.sync.bench;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs the budget workloads on the JVM and writes their medians ({@link Results}): the JMH
 * benchmarks (each in its own forked JVM), the heap figures ({@link JvmStats}, a fresh JVM) and
 * the cold start ({@link ColdStart}, a fresh JVM per sample).
 *
 * <pre>java -cp benchmarks.jar org.mycelium.sync.bench.JvmBench [--quick] [--out FILE]</pre>
 */
public final class JvmBench {
  private JvmBench() {
  }

  /** Runs everything and prints the table. */
  public static void main(String[] args) throws Exception {
    boolean quick = false;
    Path out = Path.of("benchmarks/target/results/jvm.tsv");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--out" -> out = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (options: --quick, --out FILE)");
      }
    }
    Results r = new Results();
    int it = quick ? 5 : 10;
    int warm = quick ? 3 : 5;

    jmh(r, MergeBenchmark.class, "merge10k", "jvm.merge10k", "ms", 1, warm, it,
        "fresh doc with the 1,000-char base applies two 5,000-edit concurrent deltas");
    jmh(r, SyncBenchmark.class, "sync10k", "jvm.sync", "ops/s", 1, warm, it,
        "two in-process peers through SyncSessions, one transaction per edit, 10K typing edits per run");
    jmh(r, StartupBenchmark.class, "docReady", "jvm.docReady", "us", 1, warm, it,
        "warm JVM: new Doc, getText, first insert");
    jmh(r, StartupBenchmark.class, "load100kRecords", "jvm.load100k", "ms", 0.001, warm, it,
        "fresh doc applies the encoding of 100K map records");
    jmh(r, StartupBenchmark.class, "loadTypingHistory", "jvm.typing.load", "ms", 0.001, warm, it,
        "fresh doc applies the encoding of the typed document");
    jmh(r, TypingBenchmark.class, "replay", "jvm.typing.replay", "ms", 1, quick ? 2 : 3, it,
        "260K edits into a fresh doc, one API call (one transaction) per edit");

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    Results stats = Results.parse(run(List.of(java, "-Xmx4g", "-cp", cp, JvmStats.class.getName(), quick ? "5" : "7")));
    r.addAll(stats);

    int colds = quick ? 5 : 9;
    double[] cold = new double[colds];
    double[] process = new double[colds];
    for (int i = 0; i < colds; i++) {
      String[] f = run(List.of(java, "-cp", cp, ColdStart.class.getName())).trim().split("\t");
      cold[i] = Double.parseDouble(f[1]);
      process[i] = Double.parseDouble(f[2]);
    }
    r.add("jvm.coldStart", "ms", cold, "fresh JVM: main() start to first op applied (engine classes loaded)");
    r.add("jvm.coldStartFromProcess", "ms", process, "fresh JVM: process start to first op applied (JVM boot included)");

    r.write(out);
    System.out.println();
    System.out.println("JVM results (" + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ", "
        + Runtime.getRuntime().availableProcessors() + " cores) -> " + out);
    System.out.print(r.table());
  }

  /**
   * Runs one JMH benchmark and records the median of its samples, times {@code scale} (to turn
   * the score unit into the reported unit).
   */
  static void jmh(Results r, Class<?> bench, String method, String metric, String unit, double scale,
      int warmup, int iterations, String note) throws Exception {
    ChainedOptionsBuilder o = new OptionsBuilder()
        .include("^" + bench.getName().replace(".", "\\.") + "\\." + method + "$")
        .warmupIterations(warmup)
        .measurementIterations(iterations)
        .forks(1)
        .jvmArgsAppend("-Xmx4g")
        .shouldFailOnError(true);
    if (!bench.equals(TypingBenchmark.class)) {
      o.warmupTime(TimeValue.seconds(1)).measurementTime(TimeValue.seconds(1));
    }
    Collection<RunResult> results = new Runner(o.build()).run();
    if (results.isEmpty()) {
      throw new IllegalStateException("JMH ran nothing for " + bench.getSimpleName() + "." + method);
    }
    Result<?> primary = results.iterator().next().getPrimaryResult();
    Statistics s = primary.getStatistics();
    String jmhUnit = primary.getScoreUnit();
    r.add(new Results.Stat(metric, unit, s.getPercentile(50) * scale, s.getPercentile(25) * scale,
        s.getPercentile(75) * scale, s.getMin() * scale, s.getMax() * scale,
        (int) Math.min(Integer.MAX_VALUE, s.getN()), note + " [JMH " + jmhUnit + "]"));
  }

  static String run(List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("failed: " + String.join(" ", command).replace(File.pathSeparator, ":"));
    }
    return out;
  }
}
