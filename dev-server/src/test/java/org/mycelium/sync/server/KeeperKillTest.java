package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mycelium.sync.Doc;
import org.mycelium.sync.StateVector;
import org.mycelium.sync.Text;

/**
 * Durability of acknowledged updates: the dev server runs as a separate process, a client
 * streams one-character updates and counts the keeper's acks, the process is killed with
 * SIGKILL in the middle of the stream, and a new server on the same data directory must give a
 * late joiner every acknowledged update.
 */
class KeeperKillTest {
  private static final Pattern LISTENING = Pattern.compile("dev server: http://127\\.0\\.0\\.1:(\\d+)/");

  @TempDir
  Path data;

  /** Starts {@code DevServer} in its own JVM on a free port; returns the process and its port. */
  private record Server(Process process, int port) {}

  private Server spawn() throws Exception {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", cp, "org.mycelium.sync.server.DevServer",
        "--port", "0", "--root", TestServer.ROOT.toString(), "--keep-rooms", "*", "--data-dir", data.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    BlockingQueue<Integer> port = new ArrayBlockingQueue<>(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            port.offer(Integer.parseInt(m.group(1)));
          }
        }
      } catch (java.io.IOException ignored) {
        // the process died
      }
    }, "dev-server-stdout");
    reader.setDaemon(true);
    reader.start();
    Integer n = port.poll(30, TimeUnit.SECONDS);
    if (n == null) {
      p.destroyForcibly();
    }
    assertNotNull(n, "the dev server process did not print its port");
    return new Server(p, n);
  }

  @Test
  void killMidStream_losesNoAcknowledgedUpdate() throws Exception {
    int client = 77;
    StringBuilder typed = new StringBuilder();
    int acked;
    int sent;
    Server server = spawn();
    try (SyncPeer a = SyncPeer.join(server.port(), "stream", true, new Doc(client))) {
      a.settle(10_000);
      int acksBefore = a.session.acks();
      Text t = a.doc.getText("t");
      long start = System.nanoTime();
      boolean killed = false;
      for (int i = 0; ; i++) {
        if (!killed && (a.session.acks() - acksBefore >= 500 || System.nanoTime() - start > 3e9)) {
          server.process().destroyForcibly(); // SIGKILL, while updates are in flight
          killed = true;
        }
        String ch = String.valueOf((char) ('a' + i % 26));
        try {
          t.insert(t.length(), ch);
        } catch (IllegalStateException sendFailed) {
          break; // the socket is gone
        }
        typed.append(ch);
        if (!a.pump() || killed && i > 100_000) {
          break;
        }
        if (killed && !server.process().isAlive()) {
          break;
        }
      }
      server.process().waitFor(10, TimeUnit.SECONDS);
      a.drainUntilClosed(10_000); // acks the server wrote before it died still count
      int byCount = a.session.acks() - acksBefore; // the n-th ack: our n-th update is stored
      sent = typed.length();
      // Each ack carries the state vector after its write, and one write holds every message that
      // arrived while the last one ran: an ack can cover more than the count says (its batch's later
      // messages, whose acks the kill may have kept from us). Both are promises; the larger counts.
      int bySv = StateVector.decode(a.session.ackedStateVector()).get(client);
      assertTrue(bySv >= byCount, "the last ack's state vector " + bySv + " covers the " + byCount + " acks");
      acked = bySv;
      System.out.println("kill test: " + sent + " updates sent, " + byCount + " acks received, the last one"
          + " covering " + bySv + " updates, before SIGKILL");
    }
    assertTrue(acked > 0, "some updates were acknowledged before the kill");
    Server again = spawn();
    try (SyncPeer b = SyncPeer.join(again.port(), "stream", true, new Doc(78))) {
      b.settle(10_000);
      String text = b.doc.getText("t").toString();
      assertTrue(text.length() >= acked, "kept " + text.length() + " characters of " + acked + " acknowledged");
      assertEquals(typed.substring(0, text.length()), text);
      System.out.println("kill test: after restart the room has " + text.length() + " characters");
    } finally {
      again.process().destroyForcibly();
      again.process().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
