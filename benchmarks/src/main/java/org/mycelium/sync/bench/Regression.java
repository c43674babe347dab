package org.mycelium.sync.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The budget regression check: reads result files ({@link Results}) and the budgets
 * ({@code benchmarks/budgets.tsv}), prints each budgeted metric with its budget, goal, measured
 * median and margin, then the side-by-side table with the ratios to Yjs, and exits 1 when a
 * budget is exceeded or a budgeted metric was not measured. It also measures the shipped sizes
 * in {@code dist/} (gzip -9) itself.
 *
 * <pre>java -cp benchmarks.jar org.mycelium.sync.bench.Regression [--root REPO] [--budgets FILE]
 *     [--save-baseline FILE] [--compare FILE] [--strict-goals] RESULTS.tsv...</pre>
 */
public final class Regression {
  private Regression() {
  }

  /** One line of budgets.tsv. */
  record Budget(String metric, boolean atMost, Double budget, Double goal, String unit, String what) {
  }

  /** Runs the check; exits 1 when a budget fails, 2 on bad arguments. */
  public static void main(String[] args) throws IOException {
    Path root = Path.of("").toAbsolutePath();
    Path budgets = null;
    Path save = null;
    Path compare = null;
    boolean strictGoals = false;
    List<Path> inputs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--root" -> root = Path.of(args[++i]).toAbsolutePath();
        case "--budgets" -> budgets = Path.of(args[++i]);
        case "--save-baseline" -> save = Path.of(args[++i]);
        case "--compare" -> compare = Path.of(args[++i]);
        case "--strict-goals" -> strictGoals = true;
        default -> {
          if (args[i].startsWith("--")) {
            System.err.println("unknown option " + args[i]);
            System.exit(2);
          }
          inputs.add(Path.of(args[i]));
        }
      }
    }
    if (budgets == null) {
      budgets = root.resolve("benchmarks/budgets.tsv");
    }
    Results all = new Results();
    for (Path p : inputs) {
      all.addAll(Results.read(p));
    }
    measureDist(root, all);
    int failures = check(readBudgets(budgets), all, strictGoals);
    System.out.println();
    System.out.print(sideBySide(all));
    if (compare != null) {
      System.out.println();
      System.out.print(compare(Results.read(compare), all, compare));
    }
    if (save != null) {
      all.write(save);
      System.out.println("\nbaseline saved to " + save + " (" + all.size() + " metrics)");
    }
    System.out.println();
    if (failures > 0) {
      System.out.println("FAILED: " + failures + " budget(s) exceeded or not measured");
      System.exit(1);
    }
    System.out.println("OK: every budget met");
  }

  static List<Budget> readBudgets(Path file) throws IOException {
    List<Budget> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length < 6) {
        throw new IllegalArgumentException(file + ": bad line: " + line);
      }
      out.add(new Budget(f[0], f[1].equals("max"), f[2].equals("-") ? null : Double.valueOf(f[2]),
          f[3].equals("-") ? null : Double.valueOf(f[3]), f[4], f[5]));
    }
    return out;
  }

  /** Prints the budget table; returns the number of failures. */
  static int check(List<Budget> budgets, Results r, boolean strictGoals) {
    int failures = 0;
    System.out.println("Budgets (../shared/DESIGN.md): medians of this run");
    System.out.println(String.format(Locale.ROOT, "%-30s %10s %10s %12s %9s %9s  %-6s  %s", "metric", "budget", "goal",
        "median", "IQR%", "margin", "unit", "status"));
    for (Budget b : budgets) {
      Results.Stat s = r.get(b.metric());
      String lim = b.atMost() ? "<= " : ">= ";
      String budget = b.budget() == null ? "-" : lim + Results.fmt(b.budget());
      String goal = b.goal() == null ? "-" : lim + Results.fmt(b.goal());
      if (s == null) {
        boolean fails = b.budget() != null || strictGoals;
        failures += fails ? 1 : 0;
        System.out.println(String.format(Locale.ROOT, "%-30s %10s %10s %12s %9s %9s  %-6s  %s", b.metric(), budget, goal,
            "-", "-", "-", b.unit(), fails ? "FAIL: not measured" : "not measured"));
        continue;
      }
      String margin = "-";
      String status;
      if (b.budget() != null) {
        double m = b.atMost() ? (b.budget() - s.median()) / b.budget() : (s.median() - b.budget()) / b.budget();
        margin = String.format(Locale.ROOT, "%+.0f%%", 100 * m);
        status = m >= 0 ? "ok" : b.atMost() ? "FAIL: over budget" : "FAIL: under budget";
        failures += m >= 0 ? 0 : 1;
      } else {
        status = "no budget";
      }
      if (b.goal() != null) {
        boolean met = b.atMost() ? s.median() <= b.goal() : s.median() >= b.goal();
        status += met ? ", goal met" : ", goal missed (x" + Results.fmt(b.atMost() ? s.median() / b.goal() : b.goal() / s.median()) + ")";
        if (!met && strictGoals) {
          failures++;
          status = "FAIL (strict goals): " + status;
        }
      }
      System.out.println(String.format(Locale.ROOT, "%-30s %10s %10s %12s %8.0f%% %9s  %-6s  %s", b.metric(), budget, goal,
          Results.fmt(s.median()), s.spreadPercent(), margin, b.unit(), status));
    }
    return failures;
  }

  private static final String[][] WORKLOADS = {
      {"coldStart", "cold start: script (JVM: main) start to first op"},
      {"merge10k", "merge 10K ops"},
      {"sync", "sync throughput (browser: BroadcastChannel)"},
      {"sync.webrtc", "sync over WebRTC, 10K edits in one task"},
      {"sync.webrtcPerTask", "sync over WebRTC, one edit per task"},
      {"sync.relay", "sync over the relay (no data channel), one task"},
      {"sync.relayPerTask", "sync over the relay, one edit per task"},
      {"memory100k", "memory, 100K records (heap after GC)"},
      {"load100k", "load 100K-record doc from its encoding"},
      {"load100kList", "load a list of 100K records {id, title, done}"},
      {"typing.replay", "typing history replay, 260K edits"},
      {"typing.encoded", "typing history: encoded size"},
      {"typing.load", "typing history: load the encoding"},
      {"typing.heapAfterLoad", "typing history: heap after load"},
      {"insertCall", "one text.insert call"},
  };

  /** The table of the issue: each workload on the JVM, on wasm, on the JS fallback and on Yjs, with ratios to Yjs. */
  static String sideBySide(Results r) {
    StringBuilder sb = new StringBuilder("Side by side (medians; ratio = ours / Yjs from the same browser run: below 1 is"
        + " better for times, sizes and memory, above 1 is better for ops/s)\n");
    sb.append(String.format(Locale.ROOT, "%-44s %-6s %10s %10s %10s %10s %9s %9s%n", "workload", "unit", "JVM", "wasm", "js", "Yjs",
        "wasm/Yjs", "js/Yjs"));
    for (String[] w : WORKLOADS) {
      Results.Stat jvm = r.get("jvm." + w[0]);
      Results.Stat wasm = r.get("chromium.wasm." + w[0]);
      Results.Stat js = r.get("chromium.js." + w[0]);
      Results.Stat yjs = r.get("chromium.yjs." + w[0]);
      String unit = jvm != null ? jvm.unit() : wasm != null ? wasm.unit() : yjs != null ? yjs.unit() : "";
      sb.append(String.format(Locale.ROOT, "%-44s %-6s %10s %10s %10s %10s %9s %9s%n", w[1], unit, cell(jvm), cell(wasm), cell(js),
          cell(yjs), ratio(wasm, yjs), ratio(js, yjs)));
    }
    return sb.toString();
  }

  private static String cell(Results.Stat s) {
    return s == null ? "-" : Results.fmt(s.median());
  }

  private static String ratio(Results.Stat a, Results.Stat b) {
    return a == null || b == null || b.median() == 0 ? "-" : Results.fmt(a.median() / b.median());
  }

  /** Changes smaller than this are never called better or worse, even when both IQRs are 0. */
  static final double MIN_NOISE_PERCENT = 3;

  /** Which metric moved by how much since the baseline (higher is better only for ops/s). */
  static String compare(Results baseline, Results now, Path file) {
    StringBuilder sb = new StringBuilder("Compared with " + file + " (change of the median; 'better'/'worse' beyond the larger IQR, at least 3%)\n");
    sb.append(String.format(Locale.ROOT, "%-36s %12s %12s %9s  %s%n", "metric", "baseline", "now", "change", ""));
    for (Results.Stat n : now.all()) {
      Results.Stat b = baseline.get(n.metric());
      if (b == null) {
        sb.append(String.format(Locale.ROOT, "%-36s %12s %12s %9s  %s%n", n.metric(), "-", Results.fmt(n.median()), "-", "new"));
        continue;
      }
      double change = b.median() == 0 ? 0 : 100 * (n.median() - b.median()) / Math.abs(b.median());
      double noise = Math.max(MIN_NOISE_PERCENT, Math.max(b.spreadPercent(), n.spreadPercent()));
      boolean higherBetter = n.unit().equals("ops/s");
      String verdict = Math.abs(change) <= noise || change == 0 ? "within noise"
          : (change > 0) == higherBetter ? "better" : "worse";
      sb.append(String.format(Locale.ROOT, "%-36s %12s %12s %+8.1f%%  %s%n", n.metric(), Results.fmt(b.median()),
          Results.fmt(n.median()), change, verdict));
    }
    return sb.toString();
  }

  /** Adds the gzip -9 sizes of what ships: the wasm alone, and the page total on wasm-gc. */
  static void measureDist(Path root, Results r) throws IOException {
    Path dist = root.resolve("dist");
    Path wasm = dist.resolve("mycelium-sync.wasm");
    if (!Files.isRegularFile(wasm)) {
      return; // reported as not measured
    }
    double w = gzip(Files.readAllBytes(wasm)) / 1000.0;
    r.add("dist.wasm.gzip", "KB", new double[] {w}, "dist/mycelium-sync.wasm (after wasm-opt), gzip -9 here");
    double page = w;
    for (String f : new String[] {"mycelium-sync.js", "mycelium-sync.wasm-runtime.js"}) {
      page += gzip(Files.readAllBytes(dist.resolve(f))) / 1000.0;
    }
    r.add("dist.page.gzip", "KB", new double[] {page}, "wasm + loader + glue, gzip -9 each");
  }

  static int gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out) {
      {
        def.setLevel(Deflater.BEST_COMPRESSION);
      }
    }) {
      z.write(data);
    }
    return out.size();
  }
}
