package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Measurements of the provider between two headless Chromium browsers on the wasm build. Not
 * part of the default build (the name does not end in Test); run it with
 * {@code mvn -B -pl dev-server -am verify -Dtest=ProviderBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * It prints its figures; it asserts only that the replicas converged.
 */
class ProviderBenchmark extends ProviderFixture {
  /** A new peer joins a room whose one member holds a 100K-character text; time until synced. */
  @Test
  void joinAndSync_100kCharacterDocument() throws Exception {
    try (Page a = Page.open(base, "holder"); Page b = Page.open(base, "joiner")) {
      for (String path : new String[] {"webrtc", "relay"}) {
        String room = "join-" + path + "-" + System.nanoTime();
        String options = "{signaling: ['" + signaling() + "'], webrtc: " + path.equals("webrtc") + "}";
        a.js("H.open(arguments[0], " + options + ", 1)", room);
        long length = (Long) a.js("return H.fill(100000, 10000, 7)");
        long bytes = (Long) a.js("return H.doc.encodeStateAsUpdate().length");
        for (int run = 0; run < 3; run++) {
          Number ms = (Number) b.jsAsync("var done = arguments[arguments.length - 1];"
              + "H.timeJoin(arguments[0], " + options + ", arguments[1]).then(done);", room, length);
          assertEquals(a.state(), b.state());
          @SuppressWarnings("unchecked")
          String got = ((List<Map<String, Object>>) b.js("return H.peers()")).get(0).get("path").toString();
          assertEquals(path, got);
          System.out.printf("join+sync of a %d-character doc (%d bytes of state, %d items inserted) over %s: %.1f ms%n",
              length, bytes, 10000, path, ms.doubleValue());
          b.js("H.destroy()");
        }
        a.js("H.destroy()");
      }
    }
  }

  /** One insert per transaction, many transactions, from one browser to the other over WebRTC. */
  @Test
  void throughput_singleInsertTransactions_overWebrtc() throws Exception {
    try (Page a = Page.open(base, "sender"); Page b = Page.open(base, "receiver")) {
      String room = "throughput-" + System.nanoTime();
      String options = "{signaling: ['" + signaling() + "']}";
      a.js("H.open(arguments[0], " + options + ", 1)", room);
      b.js("H.open(arguments[0], " + options + ", 2)", room);
      Page.await(20, () -> "webrtc:true".equals(a.paths()) && "webrtc:true".equals(b.paths()), () -> a.paths() + " / " + b.paths());
      for (int n : new int[] {20_000, 100_000}) {
        Object alone = a.js("var d = new MyceliumSync.Doc(), t = d.getText('t'), s = Date.now();"
            + "for (var i = 0; i < arguments[0]; i++) t.insert(t.length, 'x'); return Date.now() - s;", n);
        System.out.printf("the same %d inserts on a doc without a provider: %s ms%n", n, alone);
      }
      for (int n : new int[] {20_000, 100_000}) {
        Object lone = a.js("var d = new MyceliumSync.Doc(), t = d.getText('t');"
            + "var p = new MyceliumSync.WebrtcProvider('lone-' + Math.random(), d, {signaling: [], tabs: false});"
            + "var s = Date.now(); for (var i = 0; i < arguments[0]; i++) t.insert(t.length, 'x'); s = Date.now() - s; p.destroy(); return s;", n);
        System.out.printf("the same %d inserts on a doc with a provider that has no peers: %s ms%n", n, lone);
      }
      Object spreadAlone = a.jsAsync("var done = arguments[arguments.length - 1], d = new MyceliumSync.Doc(), t = d.getText('t'),"
          + " ch = new MessageChannel(), i = 0, s = Date.now();"
          + "ch.port1.onmessage = function () { t.insert(t.length, 'x'); if (++i < 20000) ch.port2.postMessage(0); else done(Date.now() - s); };"
          + "ch.port2.postMessage(0);");
      System.out.printf("20000 inserts, one task each, on a doc without a provider: %s ms%n", spreadAlone);
      long total = 0;
      String[] modes = {"sendOps", "sendOps", "sendOps", "sendOpsSpread"};
      int[] counts = {2_000, 20_000, 100_000, 20_000};
      for (int m = 0; m < modes.length; m++) {
        int n = counts[m];
        total += n;
        b.js("window.doneAt = 0; H.awaitLength(arguments[0]).then(function (t) { window.doneAt = t; });", total);
        @SuppressWarnings("unchecked")
        Map<String, Object> sent = (Map<String, Object>) a.js("return H." + modes[m] + "(arguments[0])", n);
        Page.await(120, () -> ((Number) b.js("return window.doneAt")).longValue() > 0, () -> "receiver at " + b.js("return H.doc.getText('t').length"));
        long start = ((Number) sent.get("start")).longValue();
        long done = ((Number) b.js("return window.doneAt")).longValue();
        double seconds = (done - start) / 1000.0;
        System.out.printf("throughput over webrtc (%s): %d single-insert transactions in %.3f s = %.0f ops/s"
            + " (sender's loop alone: %s ms)%n", modes[m].equals("sendOps") ? "one task" : "one task each",
            n, seconds, n / seconds, modes[m].equals("sendOps") ? sent.get("localMs") : a.js("return H.spreadMs"));
      }
      assertEquals(a.state(), b.state());
    }
  }
}
