package org.mycelium.sync.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark results as a tab-separated file, one metric a line:
 * {@code metric unit median p25 p75 min max n note} (p25 and p75: the quartiles of the samples). Every runner writes one; the regression check
 * reads them all, and a saved baseline is one too.
 */
public final class Results {
  /** One measured metric: the median of n samples, their quartiles and their range. */
  public record Stat(String metric, String unit, double median, double p25, double p75, double min, double max,
      int n, String note) {
    /** Returns the interquartile range relative to the median, in percent. */
    public double spreadPercent() {
      return median == 0 ? 0 : 100 * (p75 - p25) / Math.abs(median);
    }

    String line() {
      return metric + "\t" + unit + "\t" + fmt(median) + "\t" + fmt(p25) + "\t" + fmt(p75) + "\t" + fmt(min)
          + "\t" + fmt(max) + "\t" + n + "\t"
          + (note == null ? "" : note.replace('\t', ' ').replace('\n', ' '));
    }
  }

  private final Map<String, Stat> stats = new LinkedHashMap<>();

  /** Adds a metric from its samples (median, min, max computed here). */
  public Stat add(String metric, String unit, double[] samples, String note) {
    if (samples.length == 0) {
      throw new IllegalArgumentException("no samples for " + metric);
    }
    double[] s = samples.clone();
    Arrays.sort(s);
    int n = s.length;
    return add(new Stat(metric, unit, percentile(s, 50), percentile(s, 25), percentile(s, 75), s[0], s[n - 1], n, note));
  }

  /** Returns the p-th percentile of sorted samples, interpolating between neighbours. */
  static double percentile(double[] sorted, double p) {
    double rank = p / 100 * (sorted.length - 1);
    int lo = (int) Math.floor(rank);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
  }

  /** Adds (or replaces) a metric. */
  public Stat add(Stat s) {
    stats.put(s.metric(), s);
    return s;
  }

  /** Adds every metric of {@code other}. */
  public void addAll(Results other) {
    other.stats.values().forEach(this::add);
  }

  /** Returns the metric, or null. */
  public Stat get(String metric) {
    return stats.get(metric);
  }

  /** Returns every metric in the order added. */
  public Iterable<Stat> all() {
    return stats.values();
  }

  /** Returns the number of metrics. */
  public int size() {
    return stats.size();
  }

  /** Returns the TSV text (with a header comment). */
  public String toTsv() {
    StringBuilder sb = new StringBuilder("# metric\tunit\tmedian\tp25\tp75\tmin\tmax\tn\tnote\n");
    for (Stat s : stats.values()) {
      sb.append(s.line()).append('\n');
    }
    return sb.toString();
  }

  /** Writes the TSV file, creating its folder. */
  public void write(Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, toTsv());
  }

  /** Reads a TSV file written by {@link #write}. */
  public static Results read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  /** Parses TSV text; lines that are not results (comments, log lines) are skipped. */
  public static Results parse(String text) throws IOException {
    Results r = new Results();
    try (BufferedReader in = new BufferedReader(new StringReader(text))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] f = line.split("\t", -1);
        if (f.length < 8) {
          continue;
        }
        try {
          r.add(new Stat(f[0], f[1], Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
              Double.parseDouble(f[5]), Double.parseDouble(f[6]), Integer.parseInt(f[7]), f.length > 8 ? f[8] : ""));
        } catch (NumberFormatException e) {
          // not a result line
        }
      }
    }
    return r;
  }

  /** Formats a figure with 4 significant digits (at least 0 decimals). */
  public static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) >= 1000) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    double a = Math.abs(v);
    int decimals = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : a >= 1 ? 3 : 4;
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** Prints a human-readable table. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-36s %10s %10s %10s %10s %10s %6s %6s  %s%n", "metric", "median", "p25", "p75",
        "min", "max", "n", "IQR%", "unit"));
    for (Stat s : stats.values()) {
      sb.append(String.format(Locale.ROOT, "%-36s %10s %10s %10s %10s %10s %6d %5.0f%%  %s%s%n", s.metric(), fmt(s.median()),
          fmt(s.p25()), fmt(s.p75()), fmt(s.min()), fmt(s.max()), s.n(), s.spreadPercent(), s.unit(),
          s.note() == null || s.note().isEmpty() ? "" : "  (" + s.note() + ")"));
    }
    return sb.toString();
  }
}
