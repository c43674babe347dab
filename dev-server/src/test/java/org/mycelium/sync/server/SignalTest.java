package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The {@code /signal} endpoint with real WebSocket clients against a real server on port 0. */
class SignalTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final SignalLimits LIMITS = SignalLimits.builder()
      .maxTextBytes(1024)
      .maxBinaryBytes(4096)
      .maxRooms(2)
      .maxPeersPerRoom(3)
      .build();
  static DevServer server;
  final List<WsClient> clients = new ArrayList<>();
  String room; // a room of this test's own: the server is shared

  @BeforeAll
  static void start() {
    server = DevServer.start(new DevServer.Options("127.0.0.1", 0, ROOT, LIMITS));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void name(TestInfo info) {
    room = info.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(WsClient::close);
  }

  WsClient connect() throws Exception {
    WsClient c = WsClient.connect(server.port());
    clients.add(c);
    return c;
  }

  /** Connects a client to {@link #room}; the ones already there read its peer-joined. */
  WsClient inRoom(WsClient... already) throws Exception {
    WsClient c = connect();
    c.join(room);
    for (WsClient a : already) {
      JsonNode notice = a.expect("peer-joined");
      assertEquals(c.id, notice.get("peer").asText());
    }
    return c;
  }

  static byte[] relay(String room, String to, byte[] payload) {
    return new RelayFrame(room, to, payload).encode();
  }

  static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  static JsonNode getJson(int port, String path) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return WsClient.JSON.readTree(r.body());
  }

  static JsonNode peerIn(JsonNode metrics, String id) {
    for (JsonNode p : metrics.get("peers")) {
      if (p.get("id").asText().equals(id)) {
        return p;
      }
    }
    throw new AssertionError("no peer " + id + " in " + metrics);
  }

  @Test
  void welcome_givesAnIdAndTheLimits() throws Exception {
    WsClient a = connect();
    WsClient b = connect();
    assertEquals(16, a.id.length());
    assertTrue(!a.id.equals(b.id));
    JsonNode limits = a.welcome.get("limits");
    assertEquals(1024, limits.get("maxTextBytes").asInt());
    assertEquals(4096, limits.get("maxBinaryBytes").asInt());
    assertEquals(2, limits.get("maxRooms").asInt());
    assertEquals(20_000, limits.get("pingIntervalMs").asInt());
    assertEquals(8_388_608, limits.get("credit").get("capacity").asLong());
  }

  @Test
  void join_repliesWithThePeersAndNoticesTheOthers() throws Exception {
    WsClient a = connect();
    assertEquals(0, a.join(room).get("peers").size());
    WsClient b = connect();
    JsonNode joined = b.join(room);
    assertEquals(List.of(a.id), List.of(joined.get("peers").get(0).asText()));
    JsonNode notice = a.expect("peer-joined");
    assertEquals(room, notice.get("room").asText());
    assertEquals(b.id, notice.get("peer").asText());
    // Joining again is harmless: the same reply, no notice.
    assertEquals(a.id, b.join(room).get("peers").get(0).asText());
    a.assertNothingReceived();
  }

  @Test
  void leave_repliesLeftAndNoticesTheOthers() throws Exception {
    WsClient a = inRoom();
    WsClient b = inRoom(a);
    b.send("{\"type\":\"leave\",\"room\":\"" + room + "\"}");
    assertEquals(room, b.expect("left").get("room").asText());
    JsonNode notice = a.expect("peer-left");
    assertEquals(b.id, notice.get("peer").asText());
    assertEquals(room, notice.get("room").asText());
    b.send("{\"type\":\"leave\",\"room\":\"" + room + "\"}");
    b.expectError("not-in-room");
    a.assertNothingReceived();
  }

  @Test
  void signal_withTo_reachesOnlyThatPeer() throws Exception {
    WsClient a = inRoom();
    WsClient b = inRoom(a);
    WsClient c = inRoom(a, b);
    a.send("{\"type\":\"signal\",\"room\":\"" + room + "\",\"to\":\"" + b.id
        + "\",\"data\":{\"sdp\":\"offer\",\"n\":[1,2]}}");
    JsonNode s = b.expect("signal");
    assertEquals(a.id, s.get("from").asText());
    assertEquals(room, s.get("room").asText());
    assertEquals("{\"sdp\":\"offer\",\"n\":[1,2]}", s.get("data").toString());
    c.assertNothingReceived();
    a.assertNothingReceived();
  }

  @Test
  void signal_withoutTo_reachesEveryoneElseInTheRoom() throws Exception {
    WsClient a = inRoom();
    WsClient b = inRoom(a);
    WsClient c = inRoom(a, b);
    a.send("{\"type\":\"signal\",\"room\":\"" + room + "\",\"data\":\"hello\"}");
    assertEquals("hello", b.expect("signal").get("data").asText());
    assertEquals(a.id, c.expect("signal").get("from").asText());
    a.assertNothingReceived();
  }

  @Test
  void signal_data_isForwardedAsTheSameJsonValueWithoutRounding() throws Exception {
    WsClient a = inRoom();
    WsClient b = inRoom(a);
    String data = "{\"f\":0.1000000000000000055511151231257827,\"big\":123456789012345678901234567890,"
        + "\"s\":\"\u00e9\\n\\\"\",\"a\":[true,false,null,{}],\"neg\":-7}";
    a.send("{\"type\":\"signal\",\"room\":\"" + room + "\",\"data\":" + data + "}");
    String raw = b.next().text();
    assertTrue(raw.contains("\"f\":0.1000000000000000055511151231257827,"), raw);
    JsonNode got = WsClient.JSON.readTree(raw).get("data");
    JsonNode sent = WsClient.JSON.readTree(data);
    assertEquals(sent.get("big"), got.get("big"));
    assertEquals(sent.get("s"), got.get("s"));
    assertEquals(sent.get("a"), got.get("a"));
    assertEquals(sent.get("neg"), got.get("neg"));
  }

  @Test
  void signal_toAPeerNotInTheRoom_isNoSuchPeer() throws Exception {
    WsClient a = inRoom();
    WsClient b = inRoom(a);
    WsClient outsider = connect();
    a.send("{\"type\":\"signal\",\"room\":\"" + room + "\",\"to\":\"" + outsider.id + "\",\"data\":1}");
    a.expectError("no-such-peer");
    a.send("{\"type\":\"signal\",\"room\":\"" + room + "\",\"to\":\"" + a.id + "\",\"data\":1}");
    a.expectError("no-such-peer");
    b.assertNothingReceived();
    outsider.assertNothingReceived();
  }

  @Test
  void signal_toARoomNotJoined_isNotInRoom() throws Exception {
    WsClient a = inRoom();
    WsClient outsider = connect();
    outsider.send("{\"type\":\"signal\",\"room\":\"" + room + "\",\"data\":1}");
    outsider.expectError("not-in-room");
    outsider.sendBinary(relay(room, "", bytes(10)));
    outsider.expectError("not-in-room");
    a.assertNothingReceived();
  }

  @Test
  void relay_withTo_forwardsThePayloadUntouchedToOnePeer() throws Exception {
    WsClient a = inRoom();
    WsClient b = inRoom(a);
    WsClient c = inRoom(a, b);
    byte[] payload = bytes(3000);
    a.sendBinary(relay(room, b.id, payload));
    RelayFrame got = RelayFrame.decode(b.expectBinary());
    assertEquals(room, got.room());
    assertEquals(a.id, got.peer());
    assertArrayEquals(payload, got.payload());
    c.assertNothingReceived();
    a.assertNothingReceived();
  }

  @Test
  void relay_toEveryone_reachesAllOthersInTheRoom() throws Exception {
    WsClient a = inRoom();
    WsClient b = inRoom(a);
    WsClient c = inRoom(a, b);
    byte[] payload = bytes(0);
    a.sendBinary(relay(room, "", payload));
    byte[] expected = relay(room, a.id, payload);
    assertArrayEquals(expected, b.expectBinary());
    assertArrayEquals(expected, c.expectBinary());
    a.assertNothingReceived();
  }

  @Test
  void relay_malformedFrames_areBadRelayAndReachNoOne() throws Exception {
    WsClient a = inRoom();
    WsClient b = inRoom(a);
    byte[] good = relay(room, "", bytes(5));
    byte[] truncated = new byte[3]; // tag, room length 11..., cut short
    System.arraycopy(good, 0, truncated, 0, 3);
    a.sendBinary(truncated);
    a.expectError("bad-relay");
    byte[] wrongTag = good.clone();
    wrongTag[0] = 7;
    a.sendBinary(wrongTag);
    assertEquals("unknown binary message tag 7 at byte 0", a.expectError("bad-relay").get("message").asText());
    a.sendBinary(new byte[] {1, 2, (byte) 0xff, (byte) 0xfe, 0});
    a.expectError("bad-relay");
    a.sendBinary(new byte[0]);
    a.expectError("bad-relay");
    b.assertNothingReceived();
  }

  @Test
  void text_malformedJson_isBadJsonAndReachesNoOne() throws Exception {
    WsClient a = inRoom();
    WsClient b = inRoom(a);
    a.send("{\"type\":\"signal\",\"room\":");
    JsonNode e = a.expectError("bad-json");
    assertTrue(e.get("message").asText().startsWith("not JSON: "), e.toString());
    a.send("not json at all");
    a.expectError("bad-json");
    b.assertNothingReceived();
  }

  @Test
  void text_unknownType_isUnknownTypeAndReachesNoOne() throws Exception {
    WsClient a = inRoom();
    WsClient b = inRoom(a);
    a.send("{\"type\":\"broadcast-everything\",\"room\":\"" + room + "\",\"data\":1}");
    assertEquals("unknown message type broadcast-everything",
        a.expectError("unknown-type").get("message").asText());
    b.assertNothingReceived();
  }

  @Test
  void text_missingOrWrongFields_areBadMessageAndReachNoOne() throws Exception {
    WsClient a = inRoom();
    WsClient b = inRoom(a);
    String[] bad = { // nine: the tenth violation would cut the connection off
      "\"join\"",
      "{\"room\":\"" + room + "\"}",
      "{\"type\":7}",
      "{\"type\":\"join\"}",
      "{\"type\":\"join\",\"room\":\"\"}",
      "{\"type\":\"join\",\"room\":42}",
      "{\"type\":\"signal\",\"room\":\"" + room + "\"}",
      "{\"type\":\"signal\",\"room\":\"" + room + "\",\"data\":null}",
      "{\"type\":\"signal\",\"room\":\"" + room + "\",\"to\":5,\"data\":1}",
    };
    for (String m : bad) {
      a.send(m);
      JsonNode e = a.expect("error");
      assertEquals("bad-message", e.get("code").asText(), m + " -> " + e);
    }
    b.assertNothingReceived();
  }

  @Test
  void text_oversized_isTooBigAndReachesNoOne() throws Exception {
    WsClient a = inRoom();
    WsClient b = inRoom(a);
    String big = "{\"type\":\"signal\",\"room\":\"" + room + "\",\"data\":\"" + "x".repeat(2000) + "\"}";
    a.send(big);
    JsonNode e = a.expectError("too-big");
    assertTrue(e.get("message").asText().endsWith("over the limit of 1024"), e.toString());
    a.sendBinary(relay(room, "", bytes(5000)));
    a.expectError("too-big");
    b.assertNothingReceived();
    a.assertNothingReceived(); // still connected
  }

  @Test
  void text_overTheHardLimit_closesWith1009() throws Exception {
    WsClient a = inRoom();
    WsClient b = inRoom(a);
    a.send("{\"type\":\"signal\",\"room\":\"" + room + "\",\"data\":\"" + "x".repeat(5000) + "\"}");
    WsClient.Frame close = a.expectClose();
    assertEquals(1009, close.code(), close.toString());
    assertEquals(a.id, b.expect("peer-left").get("peer").asText());
    b.assertNothingReceived();
  }

  @Test
  void join_tooManyRooms_isTooManyRooms() throws Exception {
    WsClient a = connect();
    a.join(room + "-1");
    a.join(room + "-2");
    a.send("{\"type\":\"join\",\"room\":\"" + room + "-3\"}");
    assertEquals("already in 2 rooms, the limit", a.expectError("too-many-rooms").get("message").asText());
    WsClient b = connect();
    b.join(room + "-3");
    b.assertNothingReceived();
  }

  @Test
  void join_aFullRoom_isRoomFull() throws Exception {
    WsClient a = inRoom();
    WsClient b = inRoom(a);
    inRoom(a, b);
    WsClient d = connect();
    d.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
    d.expectError("room-full");
    a.assertNothingReceived();
  }

  @Test
  void close_noticesEveryRoomOfThePeer() throws Exception {
    WsClient a = connect();
    a.join(room + "-x");
    a.join(room + "-y");
    WsClient b = connect();
    assertEquals(a.id, b.join(room + "-x").get("peers").get(0).asText());
    WsClient c = connect();
    assertEquals(a.id, c.join(room + "-y").get("peers").get(0).asText());
    a.expect("peer-joined");
    a.expect("peer-joined");
    a.abort(); // no close handshake: the server must notice anyway
    JsonNode left = b.expect("peer-left");
    assertEquals(a.id, left.get("peer").asText());
    assertEquals(room + "-x", left.get("room").asText());
    assertEquals(room + "-y", c.expect("peer-left").get("room").asText());
  }

  @Test
  void violations_atTheLimit_closeWith4008AndTheReason() throws Exception {
    WsClient a = inRoom();
    WsClient b = inRoom(a);
    for (int i = 0; i < 9; i++) {
      a.send("{\"type\":\"nope\"}");
      a.expectError("unknown-type");
    }
    a.send("{\"type\":\"nope\"}");
    a.expectError("unknown-type");
    WsClient.Frame close = a.expectClose();
    assertEquals(SignalHub.CLOSE_POLICY, close.code());
    assertEquals("10 violations, last: unknown-type", close.reason());
    assertEquals(a.id, b.expect("peer-left").get("peer").asText());
    JsonNode m = getJson(server.port(), "/metrics");
    boolean listed = false;
    for (JsonNode r : m.get("recentCutOffs")) {
      listed |= r.get("id").asText().equals(a.id) && r.get("reason").asText().equals(close.reason());
    }
    assertTrue(listed, m.toString());
  }

  @Test
  void metrics_showsRoomsAndEachConnectionsCreditAndTraffic() throws Exception {
    WsClient a = inRoom();
    a.send("{\"type\":\"ping\"}");
    a.expect("pong");
    a.send("{\"type\":\"what\"}");
    a.expectError("unknown-type");
    JsonNode m = getJson(server.port(), "/metrics");
    assertTrue(m.get("connections").asInt() >= 1);
    assertTrue(m.get("rooms").asInt() >= 1);
    assertEquals(1, m.get("roomSizes").get(room).asInt());
    JsonNode p = peerIn(m, a.id);
    assertEquals(room, p.get("rooms").get(0).asText());
    assertEquals("ok", p.get("state").asText());
    assertEquals(3, p.get("messagesIn").asInt());
    assertEquals(3, p.get("opsIn").asInt());
    int sent = ("{\"type\":\"join\",\"room\":\"" + room + "\"}").length() + 15 + 15;
    assertEquals(sent, p.get("bytesIn").asInt());
    assertEquals(4, p.get("messagesOut").asInt()); // welcome, joined, pong, error
    assertTrue(p.get("bytesOut").asInt() > 0);
    assertEquals(1, p.get("rejected").asInt());
    assertEquals(1, p.get("violations").asInt());
    assertEquals(0, p.get("held").asInt());
    // 3 messages at 64 + bytes, and one violation at 16 KiB, refilled at 256 KiB/s since.
    double balance = p.get("balance").asDouble();
    assertTrue(balance <= 8_388_608 && balance >= 8_388_608 - 3 * 64 - sent - 24 - 16_384, m.toString());
    assertEquals(0, p.get("backOffMs").asInt());
    assertTrue(p.get("reason").isNull());
  }

  @Test
  void healthz_stillAnswers() throws Exception {
    assertEquals("ok", getJson(server.port(), "/healthz").get("status").asText());
  }

  @Test
  void text_unicodeIsCountedInUtf8Bytes() {
    assertEquals(1 + 2 + 3 + 4, SignalHub.utf8Length("a\u00e9\u20ac\ud83c\udf44"));
    assertEquals(3, SignalHub.utf8Length("\ud800")); // a lone surrogate
  }

  @Test
  void roomNames_areCaseAndUnicodeExact() throws Exception {
    WsClient a = connect();
    a.join(room + "-\u00e9\ud83c\udf44");
    WsClient b = connect();
    assertEquals(0, b.join(room + "-\u00c9\ud83c\udf44").get("peers").size());
    WsClient c = connect();
    assertEquals(a.id, c.join(room + "-\u00e9\ud83c\udf44").get("peers").get(0).asText());
    a.expect("peer-joined");
    c.sendBinary(relay(room + "-\u00e9\ud83c\udf44", a.id, bytes(3)));
    assertEquals(room + "-\u00e9\ud83c\udf44", RelayFrame.decode(a.expectBinary()).room());
  }
}
