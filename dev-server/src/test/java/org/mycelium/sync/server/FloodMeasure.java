package org.mycelium.sync.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures how long a flooding connection lasts on {@code /signal} under the default limits, and
 * what an honest pair in the same room sees meanwhile. Not a test: run it by hand.
 * <pre>
 * mvn -q -B -pl wasm-core,dev-server -am -DskipTests package dependency:build-classpath \
 *   -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp dev-server/target/test-classes:dev-server/target/classes:wasm-core/target/classes:$(cat /tmp/cp.txt) \
 *   org.mycelium.sync.server.FloodMeasure            # from the repository root (it serves demo-site/)
 * </pre>
 * Scenarios: 64 KiB relay frames to the whole room as fast as the socket takes them, and paced
 * at 10 times the refill rate (2.5 MiB/s). The flooder ignores every throttled notice.
 */
public final class FloodMeasure {
  /** Runs both scenarios on fresh servers and prints one paragraph each. */
  public static void main(String[] args) throws Exception {
    Path root = Path.of("").toAbsolutePath();
    measure(root, "full speed", 0);
    measure(root, "10x the refill rate", 10 * 256 * 1024);
    System.exit(0);
  }

  /** Floods one room at {@code bytesPerSecond} (0: as fast as possible) until the server closes the flooder. */
  static void measure(Path root, String name, double bytesPerSecond) throws Exception {
    try (DevServer server = DevServer.start(new DevServer.Options("127.0.0.1", 0, root));
        WsClient a = WsClient.joined(server.port(), "m");
        WsClient b = WsClient.joined(server.port(), "m");
        WsClient flooder = WsClient.joined(server.port(), "m")) {
      a.expect("peer-joined");
      a.expect("peer-joined");
      b.expect("peer-joined");
      byte[] frame = new RelayFrame("m", "", new byte[64 * 1024]).encode();
      AtomicInteger sent = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      long t0 = System.nanoTime();
      Thread flood = new Thread(() -> {
        try {
          while (!stop.get()) {
            if (bytesPerSecond > 0) {
              double due = (double) sent.get() * frame.length / bytesPerSecond * 1e9;
              long wait = (long) due - (System.nanoTime() - t0);
              if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
              }
            }
            flooder.sendBinary(frame);
            sent.incrementAndGet();
          }
        } catch (Exception closed) {
          // the server closed the connection
        }
      });
      flood.start();
      // The honest pair: a signals b every 10 ms with its send time; b records the latency.
      List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
      Thread honest = new Thread(() -> {
        try {
          while (!stop.get()) {
            a.send("{\"type\":\"signal\",\"room\":\"m\",\"to\":\"" + b.id + "\",\"data\":" + System.nanoTime() + "}");
            Thread.sleep(10);
          }
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      honest.start();
      Thread reader = new Thread(() -> {
        try {
          while (!stop.get()) {
            WsClient.Frame f = b.next();
            if (f.text() != null) {
              JsonNode m = WsClient.JSON.readTree(f.text());
              if (m.get("type").asText().equals("signal")) {
                latencies.add((System.nanoTime() - m.get("data").asLong()) / 1e6);
              }
            }
          }
        } catch (Throwable e) {
          // stopped
        }
      });
      reader.start();
      double throttledMs = -1;
      int notices = 0;
      WsClient.Frame f = flooder.next();
      while (!f.isClose()) {
        if (f.text() != null && f.text().contains("throttled")) {
          notices++;
          if (throttledMs < 0) {
            throttledMs = (System.nanoTime() - t0) / 1e6;
          }
        }
        f = flooder.next();
      }
      double closedMs = (System.nanoTime() - t0) / 1e6;
      // Let the honest pair go on for a moment after the cut-off, then stop.
      long until = System.nanoTime() + 300_000_000L;
      while (System.nanoTime() < until) {
        Thread.sleep(10);
      }
      stop.set(true);
      flood.join();
      honest.join();
      JsonNode metrics = SignalTest.getJson(server.port(), "/metrics");
      List<Double> l = new ArrayList<>(latencies);
      Collections.sort(l);
      System.out.printf("%s: %d frames (%.1f MB) sent; throttled after %.0f ms, %d notices; closed %d after %.0f ms: %s%n",
          name, sent.get(), sent.get() * (double) frame.length / 1e6, throttledMs, notices, f.code(), closedMs, f.reason());
      System.out.printf("  honest a->b signals: %d delivered, latency median %.2f ms, max %.2f ms; a %s, b %s%n",
          l.size(), l.isEmpty() ? 0 : l.get(l.size() / 2), l.isEmpty() ? 0 : l.get(l.size() - 1),
          SignalTest.peerIn(metrics, a.id).get("state").asText(), SignalTest.peerIn(metrics, b.id).get("state").asText());
    }
  }
}
