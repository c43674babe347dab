package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the provider's credit accounting costs, and how long a flooder lasts under the default
 * policy, between headless Chromium browsers on the wasm build. Not part of the default build
 * (the name does not end in Test); run it with
 * {@code mvn -B -pl dev-server -am verify -Dtest=ProviderCreditBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * It prints its figures; it asserts only that the replicas converged and the flooder was cut off.
 * {@code -Dcredit.bench.mode=0} (one task each) or {@code 1} (one task) runs one throughput mode,
 * {@code -Dcredit.bench.offFirst=true} runs credit off first in each pair.
 */
class ProviderCreditBenchmark extends ProviderFixture {
  static final int RUNS = 5;

  /**
   * The throughput benchmark of ProviderBenchmark, with credit accounting on (the default) and
   * off ({@code credit: false}) in alternating runs: single-insert transactions, one task each
   * (every insert is its own message: the gate's per-message cost shows fully) and all in one
   * task (one merged message).
   */
  @Test
  void throughput_withAndWithoutCredit() throws Exception {
    try (Page a = Page.open(base, "sender"); Page b = Page.open(base, "receiver")) {
      String[] modes = {"sendOpsSpread", "sendOps"};
      int[] counts = {20_000, 100_000};
      // -Dcredit.bench.mode=0|1 runs one mode only; -Dcredit.bench.offFirst=true swaps the order within each pair
      int only = Integer.getInteger("credit.bench.mode", -1);
      boolean offFirst = Boolean.getBoolean("credit.bench.offFirst");
      for (int mi = 0; mi < modes.length; mi++) {
        if (only >= 0 && mi != only) {
          continue;
        }
        List<Double> on = new ArrayList<>();
        List<Double> off = new ArrayList<>();
        for (int run = 0; run < 2 * RUNS; run++) {
          boolean credit = (run % 2 == 0) != offFirst;
          String room = "credit-bench-" + System.nanoTime();
          String options = "{signaling: ['" + signaling() + "'], credit: " + credit + "}";
          a.js("H.open(arguments[0], " + options + ", 1)", room);
          b.js("H.open(arguments[0], " + options + ", 2)", room);
          Page.await(20, () -> "webrtc:true".equals(a.paths()) && "webrtc:true".equals(b.paths()), () -> a.paths() + " / " + b.paths()
              + "\n a: " + a.js("return JSON.stringify(H.peers()) + JSON.stringify(H.events)")
              + "\n b: " + b.js("return JSON.stringify(H.peers()) + JSON.stringify(H.events)"));
          int n = counts[mi];
          b.js("window.doneAt = 0; H.awaitLength(arguments[0]).then(function (t) { window.doneAt = t; });", n);
          @SuppressWarnings("unchecked")
          Map<String, Object> sent = (Map<String, Object>) a.js("return H." + modes[mi] + "(arguments[0])", n);
          Page.await(120, () -> ((Number) b.js("return window.doneAt")).longValue() > 0, () -> "receiver at " + b.js("return H.doc.getText('t').length"));
          double seconds = (((Number) b.js("return window.doneAt")).longValue() - ((Number) sent.get("start")).longValue()) / 1000.0;
          (credit ? on : off).add(n / seconds);
          System.out.printf("  run %d, %s, credit %s: %.0f ops/s%n", run, modes[mi], credit, n / seconds);
          assertEquals(a.js("return H.doc.getText('t').length"), b.js("return H.doc.getText('t').length"));
          if (credit) {
            @SuppressWarnings("unchecked")
            Map<String, Object> r = ((List<Map<String, Object>>) b.js("return H.peers()")).get(0);
            assertEquals("ok", r.get("state"), r.toString());
          }
          a.js("H.destroy()");
          b.js("H.destroy()");
        }
        System.out.printf("throughput over webrtc, %d single-insert transactions, %s: credit on %s ops/s (median %.0f),"
            + " credit off %s ops/s (median %.0f): %+.1f%%%n", counts[mi], mi == 0 ? "one task each" : "one task",
            round(on), median(on), round(off), median(off), (median(on) / median(off) - 1) * 100);
      }
    }
  }

  /** Two peers under the default policy; one floods the other with redundant updates at 10x and 100x its refill. */
  @Test
  void flooder_underTheDefaults_howLongItLasts() throws Exception {
    for (int factor : new int[] {10, 100}) {
      try (ProviderBrowserTest.Mesh m = ProviderBrowserTest.mesh(2, "defaultFlood", "{signaling: [S]}", "webrtc", 300, null)) {
        Page a = m.pages().get(0);
        Page f = m.pages().get(1);
        // a state of some KB, so that each copy is a realistic update
        a.js("H.fill(4000, 40, 3)");
        ProviderBrowserTest.awaitConverged(m.pages(), 20);
        Object fid = f.js("return H.provider.id");
        // the honest page notes, by the wall clock both browsers share, when it first sees the
        // flooder throttled (checked every 5 ms between its tasks) and when it drops it
        a.js("window.seen = {}; var fid = arguments[0];"
            + "seen.timer = setInterval(function () { var r = H.provider.peers.filter(function (p) { return p.id === fid; })[0];"
            + "  if (r && r.state === 'throttled' && !seen.throttled) seen.throttled = Date.now(); }, 5);"
            + "H.provider.on('peers', function (e) { if (e.dropped.length && !seen.cut) seen.cut = Date.now(); });", fid);
        long size = (Long) f.js(ProviderCreditBrowserTest.FLOOD, factor * 262144);
        long start = System.nanoTime();
        Page.await(60, () -> ProviderCreditBrowserTest.dropped(a).contains("\"" + fid + "\""),
            () -> "not cut off in 60 s: " + ProviderCreditBrowserTest.dropped(a));
        double began = ((Number) f.js("return flood.wallStart")).doubleValue();
        double throttled = ((Number) a.js("return seen.throttled || 0")).doubleValue() - began;
        double cut = ((Number) a.js("clearInterval(seen.timer); return seen.cut")).doubleValue() - began;
        Object sent = f.js("clearInterval(flood.timer); return flood.sent");
        assertTrue(System.nanoTime() - start > 0);
        a.js("H.edit('a', 20, 1)");
        ProviderBrowserTest.awaitPaths(a, "", 10);
        System.out.printf("default policy, flood of %d-byte redundant updates at %dx the refill (%d KiB/s): throttled after"
            + " %.0f ms, cut off after %.0f ms (%s copies sent, %.0f KiB/s on average): %s%n", size, factor, factor * 256,
            throttled, cut, sent, ((Number) sent).doubleValue() * size / 1024 / (cut / 1000),
            ProviderCreditBrowserTest.dropped(a));
      }
    }
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  static List<Long> round(List<Double> xs) {
    List<Long> out = new ArrayList<>();
    for (double x : xs) {
      out.add(Math.round(x));
    }
    return out;
  }
}
