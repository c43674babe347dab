package org.mycelium.sync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import org.mycelium.sync.Doc;

/**
 * Profiles one budget workload with Java Flight Recorder: warms it up, records it running for
 * a while with 1 ms execution sampling, keeps the .jfr file, and prints the methods with the
 * largest share of samples, by self time and by total (inclusive) time.
 *
 * <pre>java -cp benchmarks.jar org.mycelium.sync.bench.Profile WORKLOAD [SECONDS] [OUT.jfr]
 * WORKLOAD: merge | typing | records | load100k | typingLoad | sync</pre>
 */
public final class Profile {
  private Profile() {
  }

  /** Runs the profile and prints the tables. */
  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: Profile merge|typing|records|load100k|typingLoad|sync [SECONDS] [OUT.jfr]");
      System.exit(2);
    }
    String name = args[0];
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Path out = Path.of(args.length > 2 ? args[2] : "benchmarks/target/profile-" + name + ".jfr");
    Runnable w = workload(name);
    long warmEnd = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < warmEnd) {
      w.run();
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    int runs = 0;
    try (Recording r = new Recording()) {
      r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
      r.enable("jdk.ObjectAllocationSample").with("throttle", "1000/s");
      r.start();
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      while (System.nanoTime() < end) {
        w.run();
        runs++;
      }
      r.stop();
      r.dump(out);
    }
    System.out.println(name + ": " + runs + " runs recorded -> " + out);
    print(out, 25);
  }

  static Runnable workload(String name) {
    switch (name) {
      case "merge": {
        Workloads.Merge m = Workloads.merge();
        return () -> {
          Doc d = new Doc(4);
          d.applyUpdate(m.base, null);
          d.applyUpdate(m.deltaA, null);
          d.applyUpdate(m.deltaB, null);
        };
      }
      case "typing": {
        Edits e = Workloads.typingHistory();
        return () -> Workloads.typedDoc(e);
      }
      case "records":
        return Workloads::recordsDoc;
      case "load100k": {
        byte[] u = Workloads.recordsDoc().encodeStateAsUpdate(null);
        return () -> new Doc(2).applyUpdate(u, null);
      }
      case "typingLoad": {
        byte[] u = Workloads.typedDoc(Workloads.typingHistory()).encodeStateAsUpdate(null);
        return () -> new Doc(2).applyUpdate(u, null);
      }
      case "sync": {
        SyncBenchmark s = new SyncBenchmark();
        s.edits();
        return () -> {
          s.connect();
          s.sync10k();
        };
      }
      default:
        throw new IllegalArgumentException("unknown workload " + name);
    }
  }

  /** Prints the top methods by self and by total samples. */
  static void print(Path jfr, int top) throws Exception {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> selfLines = new HashMap<>();
    Map<String, Integer> total = new HashMap<>();
    Map<String, Long> alloc = new HashMap<>();
    long allocWeight = 0;
    int samples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      RecordedStackTrace st = e.getStackTrace();
      if (st == null || st.getFrames().isEmpty()) {
        continue;
      }
      String event = e.getEventType().getName();
      if (event.equals("jdk.ObjectAllocationSample")) {
        long w = e.getLong("weight");
        String type = e.getClass("objectClass").getName();
        alloc.merge(type.substring(type.lastIndexOf('.') + 1) + " in " + method(firstOurs(st.getFrames()), true), w, Long::sum);
        allocWeight += w;
        continue;
      }
      if (!event.equals("jdk.ExecutionSample")) {
        continue;
      }
      samples++;
      List<RecordedFrame> frames = st.getFrames();
      self.merge(method(frames.get(0), false), 1, Integer::sum);
      selfLines.merge(method(frames.get(0), true), 1, Integer::sum);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame f : frames) {
        String m = method(f, false);
        if (seen.add(m)) {
          total.merge(m, 1, Integer::sum);
        }
      }
    }
    System.out.println(samples + " execution samples");
    table("self time", self, samples, top);
    table("self time, per source line", selfLines, samples, top);
    table("total time (inclusive)", total, samples, top);
    System.out.println("\nby bytes allocated (sampled; type in the first frame of ours):");
    List<Map.Entry<String, Long>> l = new ArrayList<>(alloc.entrySet());
    l.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    for (int i = 0; i < Math.min(top, l.size()); i++) {
      System.out.println(String.format(Locale.ROOT, "%6.1f%%  %s", 100.0 * l.get(i).getValue() / allocWeight, l.get(i).getKey()));
    }
  }

  /** The first frame in our own packages (allocation happens in java.util often), else the top. */
  private static RecordedFrame firstOurs(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      if (f.getMethod().getType().getName().startsWith("org.mycelium")) {
        return f;
      }
    }
    return frames.get(0);
  }

  private static void table(String title, Map<String, Integer> counts, int samples, int top) {
    System.out.println("\nby " + title + ":");
    List<Map.Entry<String, Integer>> l = new ArrayList<>(counts.entrySet());
    l.sort((a, b) -> b.getValue() - a.getValue());
    for (int i = 0; i < Math.min(top, l.size()); i++) {
      System.out.println(String.format(Locale.ROOT, "%6.1f%%  %s", 100.0 * l.get(i).getValue() / samples, l.get(i).getKey()));
    }
  }

  private static String method(RecordedFrame f, boolean line) {
    String t = f.getMethod().getType().getName();
    String m = t.substring(t.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    return line ? m + ":" + f.getLineNumber() : m;
  }
}
