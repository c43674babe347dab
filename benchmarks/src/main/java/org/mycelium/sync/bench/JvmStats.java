package org.mycelium.sync.bench;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import org.mycelium.sync.Doc;

/**
 * The JVM figures that are not timings, measured in a JVM of their own (the runner forks it) so
 * that nothing else lives on the heap: heap used after GC by 100K map records, and the typing
 * history's final length, encoded size and heap after loading that encoding. Heap figures are
 * the used heap after full GCs with the doc alive, minus the same without it; each is repeated
 * and the median printed. Prints result lines ({@link Results}) on stdout.
 */
public final class JvmStats {
  private JvmStats() {
  }

  /** Runs the measurements; the first argument is the number of repeats (default 7). */
  public static void main(String[] args) throws Exception {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    Results r = new Results();

    double[] records = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      long before = usedAfterGc();
      Doc d = Workloads.recordsDoc();
      long after = usedAfterGc();
      Reference.reachabilityFence(d);
      records[i] = (after - before) / 1e6;
    }
    r.add("jvm.memory100k", "MB", records, "heap used after GC, 100K map records (k<i> -> i)");

    Edits edits = Workloads.typingHistory();
    Doc typed = Workloads.typedDoc(edits);
    int length = typed.getText("t").length();
    if (length != edits.finalLength) {
      throw new IllegalStateException("typing replay ended at " + length + ", expected " + edits.finalLength);
    }
    byte[] encoded = typed.encodeStateAsUpdate(null);
    typed = null;
    r.add("jvm.typing.finalLength", "chars", new double[] {length}, edits.size() + " edits, " + edits.inserts() + " inserts");
    r.add("jvm.typing.encoded", "KB", new double[] {encoded.length / 1000.0}, encoded.length + " B, encodeStateAsUpdate");

    double[] heap = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      long before = usedAfterGc();
      Doc d = new Doc(2);
      d.applyUpdate(encoded, null);
      long after = usedAfterGc();
      if (d.getText("t").length() != length) {
        throw new IllegalStateException("loaded length differs");
      }
      Reference.reachabilityFence(d);
      heap[i] = (after - before) / 1e6;
    }
    r.add("jvm.typing.heapAfterLoad", "MB", heap, "heap used after GC by the loaded typing document");
    System.out.print(r.toTsv());
  }

  static long usedAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(30);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
