package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mycelium.sync.CreditPolicy;

/** Floods and timeouts of {@code /signal}, each on a server of its own with small limits. */
class SignalFloodTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  static DevServer start(SignalLimits limits) {
    return DevServer.start(new DevServer.Options("127.0.0.1", 0, ROOT, limits));
  }

  @Test
  void flood_isThrottledThenCutOffWhileTheOthersKeepTalking() throws Exception {
    // 32 KiB of burst and 16 KiB/s: a full-speed flood is throttled at once, cut off after 1 s.
    // No debt floor, so that the cut-off never depends on how fast this machine floods.
    CreditPolicy credit = CreditPolicy.builder()
        .capacity(32 * 1024).refillPerSecond(16 * 1024).maxThrottledMs(1000).debtFloor(1e15).build();
    try (DevServer server = start(SignalLimits.builder().credit(credit).build());
        WsClient a = WsClient.joined(server.port(), "r");
        WsClient b = WsClient.joined(server.port(), "r");
        WsClient flooder = WsClient.joined(server.port(), "r")) {
      a.expect("peer-joined");
      a.expect("peer-joined");
      b.expect("peer-joined");
      byte[] frame = new RelayFrame("r", "", new byte[1024]).encode();
      CompletableFuture<Integer> flood = CompletableFuture.supplyAsync(() -> {
        int sent = 0;
        try {
          while (true) {
            flooder.sendBinary(frame);
            sent++;
          }
        } catch (Exception closed) {
          return sent;
        }
      });
      // The flooder is told to back off; from then on it has 1 s before it is cut off.
      JsonNode throttled = flooder.expect("error");
      assertEquals("throttled", throttled.get("code").asText());
      assertTrue(throttled.get("retryMs").asLong() > 0, throttled.toString());
      // Meanwhile the honest peers keep exchanging signals and relay frames, within their credit.
      boolean[] aSawLeave = {false};
      boolean[] bSawLeave = {false};
      for (int round = 1; round <= 20; round++) {
        exchange(a, b, flooder.id, round, aSawLeave, bSawLeave);
      }
      int sent = flood.get(10, TimeUnit.SECONDS);
      WsClient.Frame close = flooder.next();
      while (!close.isClose()) {
        assertTrue(close.text() != null && close.text().contains("throttled"), close.toString());
        close = flooder.next();
      }
      assertEquals(SignalHub.CLOSE_POLICY, close.code(), close.toString());
      assertEquals("kept sending while throttled for 1 s", close.reason());
      // Both see the flooder leave, and go on as before.
      while (!aSawLeave[0]) {
        assertEquals(null, nextNotFromFlooder(a, flooder.id, aSawLeave));
      }
      while (!bSawLeave[0]) {
        assertEquals(null, nextNotFromFlooder(b, flooder.id, bSawLeave));
      }
      for (int round = 21; round <= 25; round++) {
        exchange(a, b, flooder.id, round, aSawLeave, bSawLeave);
      }
      a.assertNothingReceived();
      b.assertNothingReceived();
      JsonNode m = SignalTest.getJson(server.port(), "/metrics");
      assertEquals("ok", SignalTest.peerIn(m, a.id).get("state").asText());
      assertEquals("ok", SignalTest.peerIn(m, b.id).get("state").asText());
      assertEquals(1, m.get("cutOffsTotal").asInt());
      assertEquals(2, m.get("roomSizes").get("r").asInt());
      assertTrue(sent > 32, "the flooder sent only " + sent + " frames");
    }
  }

  /** One signal from a to b and one relay frame from b to a, each checked on arrival. */
  static void exchange(WsClient a, WsClient b, String flooderId, int round, boolean[] aSawLeave,
      boolean[] bSawLeave) throws Exception {
    a.send("{\"type\":\"signal\",\"room\":\"r\",\"to\":\"" + b.id + "\",\"data\":" + round + "}");
    WsClient.Frame f = nextNotFromFlooder(b, flooderId, bSawLeave);
    if (f == null) { // the flooder's peer-left came first
      f = nextNotFromFlooder(b, flooderId, bSawLeave);
    }
    JsonNode s = WsClient.JSON.readTree(f.text());
    assertEquals("signal", s.get("type").asText(), f.toString());
    assertEquals(round, s.get("data").asInt());
    assertEquals(a.id, s.get("from").asText());
    b.sendBinary(new RelayFrame("r", a.id, new byte[] {(byte) round}).encode());
    f = nextNotFromFlooder(a, flooderId, aSawLeave);
    if (f == null) {
      f = nextNotFromFlooder(a, flooderId, aSawLeave);
    }
    RelayFrame relayed = RelayFrame.decode(f.binary());
    assertEquals(b.id, relayed.peer());
    assertArrayEquals(new byte[] {(byte) round}, relayed.payload());
  }

  /**
   * Returns {@code c}'s next frame that the flooder did not cause: relayed flood frames are
   * passed over, and the flooder's peer-left sets {@code left} and returns null.
   */
  static WsClient.Frame nextNotFromFlooder(WsClient c, String flooderId, boolean[] left) throws Exception {
    while (true) {
      WsClient.Frame f = c.next();
      if (f.binary() != null && RelayFrame.decode(f.binary()).peer().equals(flooderId)) {
        continue;
      }
      if (f.text() != null) {
        JsonNode m = WsClient.JSON.readTree(f.text());
        if (m.get("type").asText().equals("peer-left") && m.get("peer").asText().equals(flooderId)) {
          left[0] = true;
          return null;
        }
      }
      return f;
    }
  }

  @Test
  void slowReader_isDroppedAndItsRoomToldWhileTheSenderGoesOn() throws Exception {
    CreditPolicy credit = CreditPolicy.builder().capacity(1e12).build(); // the sender never runs dry
    try (DevServer server = start(SignalLimits.builder().maxQueuedBytes(1024 * 1024).credit(credit).build());
        WsClient a = WsClient.joined(server.port(), "r")) {
      // A client that joins and then reads nothing: once the socket buffers are full, what the
      // server sends it queues up.
      WebSocket slow = deafClient(server.port(), "r");
      String slowId = a.expect("peer-joined").get("peer").asText();
      byte[] frame = new RelayFrame("r", slowId, new byte[64 * 1024]).encode();
      WsClient.Frame notice = null;
      int sent = 0;
      while (notice == null) {
        a.sendBinary(frame);
        sent++;
        assertTrue(sent < 10_000, "the slow reader was not dropped after " + sent + " frames of 64 KiB");
        notice = a.poll();
      }
      JsonNode left = WsClient.JSON.readTree(notice.text());
      assertEquals("peer-left", left.get("type").asText(), notice.toString());
      assertEquals(slowId, left.get("peer").asText());
      // The sender is unaffected: frames it had in flight get no-such-peer, nothing else comes.
      a.send("{\"type\":\"ping\"}");
      for (JsonNode m = a.expect("error", "pong"); !m.get("type").asText().equals("pong"); m = a.expect("error", "pong")) {
        assertEquals("no-such-peer", m.get("code").asText(), m.toString());
      }
      JsonNode m = SignalTest.getJson(server.port(), "/metrics");
      assertEquals(1, m.get("connections").asInt());
      slow.abort();
    }
  }

  /** Connects a client that joins {@code room} and never reads a single message. */
  static WebSocket deafClient(int port, String room) throws Exception {
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/signal"), new WebSocket.Listener() {
          @Override
          public void onOpen(WebSocket webSocket) {
            // no request(): not a single message is read
          }
        })
        .get(WsClient.TIMEOUT_MS, TimeUnit.MILLISECONDS);
    ws.sendText("{\"type\":\"join\",\"room\":\"" + room + "\"}", true).get(WsClient.TIMEOUT_MS, TimeUnit.MILLISECONDS);
    return ws;
  }

  @Test
  void cutOffClientThatNeverAnswersTheClose_isDisconnectedAfterTheGrace() throws Exception {
    try (DevServer server = start(SignalLimits.builder().closeGraceMs(200).build());
        WsClient a = WsClient.joined(server.port(), "r")) {
      WebSocket deaf = deafClient(server.port(), "r");
      String deafId = a.expect("peer-joined").get("peer").asText();
      for (int i = 0; i < 10; i++) { // the tenth violation cuts it off; it reads nothing
        deaf.sendText("{\"type\":\"nope\"}", true).get(WsClient.TIMEOUT_MS, TimeUnit.MILLISECONDS);
      }
      // Jetty would wait for the close handshake until its idle timeout (120 s); the grace ends it.
      assertEquals(deafId, a.expect("peer-left").get("peer").asText());
      JsonNode m = SignalTest.getJson(server.port(), "/metrics");
      assertEquals("10 violations, last: unknown-type", m.get("recentCutOffs").get(0).get("reason").asText());
      deaf.abort();
    }
  }

  @Test
  void throttled_clientThatWaitsRetryMs_isServedAgain() throws Exception {
    CreditPolicy credit = CreditPolicy.builder().capacity(4096).refillPerSecond(8192).build();
    try (DevServer server = start(SignalLimits.builder().credit(credit).build());
        WsClient a = WsClient.joined(server.port(), "r")) {
      a.sendBinary(new RelayFrame("r", "", new byte[8000]).encode()); // admitted in credit: deep in debt now
      a.send("{\"type\":\"ping\"}"); // dropped
      JsonNode throttled = a.expectError("throttled");
      long retryMs = throttled.get("retryMs").asLong();
      assertTrue(retryMs > 400 && retryMs < 1000, throttled.toString());
      // Waiting is what the protocol asks of the client here, not synchronisation.
      Thread.sleep(retryMs);
      a.send("{\"type\":\"ping\"}");
      a.expect("pong");
      JsonNode p = SignalTest.peerIn(SignalTest.getJson(server.port(), "/metrics"), a.id);
      assertEquals(1, p.get("held").asInt());
      assertEquals(0, p.get("rejected").asInt());
    }
  }

  @Test
  void silentConnection_isClosedAfterThePingTimeout() throws Exception {
    // Not in a room, so that no join can race the timeout; the idle timeout (60 s) is far off.
    try (DevServer server = start(SignalLimits.builder().pingTimeoutMs(300).build());
        WsClient a = WsClient.connect(server.port())) {
      WsClient.Frame close = a.expectClose();
      assertEquals(SignalHub.CLOSE_TIMEOUT, close.code());
      assertEquals("ping timeout: nothing received for 300 ms", close.reason());
    }
  }

  @Test
  void connectionInNoRoom_isClosedAfterTheIdleTimeout() throws Exception {
    try (DevServer server = start(SignalLimits.builder().idleTimeoutMs(200).build());
        WsClient a = WsClient.connect(server.port())) {
      WsClient.Frame close = a.expectClose();
      assertEquals(SignalHub.CLOSE_TIMEOUT, close.code());
      assertEquals("idle: in no room for 200 ms", close.reason());
    }
  }

  @Test
  void limits_builder_rejectsValuesOutOfRange() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> SignalLimits.builder().maxRooms(0));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> SignalLimits.builder().maxTextBytes(10));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> SignalLimits.builder().maxBinaryBytes(Integer.MAX_VALUE / 2).hardLimitFactor(4).build());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> SignalLimits.builder().credit(null));
  }
}
