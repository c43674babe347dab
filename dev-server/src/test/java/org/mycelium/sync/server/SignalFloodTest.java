package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
      assertEquals(1008, close.code());
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
  void silentConnection_isClosedAfterThePingTimeout() throws Exception {
    try (DevServer server = start(SignalLimits.builder().pingTimeoutMs(300).build());
        WsClient a = WsClient.joined(server.port(), "r")) {
      WsClient.Frame close = a.expectClose();
      assertEquals(1001, close.code());
      assertEquals("ping timeout: nothing received for 300 ms", close.reason());
    }
  }

  @Test
  void connectionInNoRoom_isClosedAfterTheIdleTimeout() throws Exception {
    try (DevServer server = start(SignalLimits.builder().idleTimeoutMs(200).build());
        WsClient a = WsClient.connect(server.port())) {
      WsClient.Frame close = a.expectClose();
      assertEquals(1001, close.code());
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
