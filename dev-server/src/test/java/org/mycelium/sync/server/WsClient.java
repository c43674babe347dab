package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test client of {@code /signal} over the JDK's WebSocket: every frame it receives goes into a
 * queue that the test reads with a timeout, in order, so that tests wait for messages instead of
 * sleeping, and an unexpected message fails the test.
 */
final class WsClient implements WebSocket.Listener, AutoCloseable {
  static final long TIMEOUT_MS = 5000;
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** One received frame: text, binary, or the close (code and reason); code -1 is an error. */
  record Frame(String text, byte[] binary, int code, String reason) {
    boolean isClose() {
      return text == null && binary == null;
    }

    @Override
    public String toString() {
      return text != null ? "text " + text : binary != null ? "binary of " + binary.length + " bytes"
          : "close " + code + " " + reason;
    }
  }

  private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final StringBuilder text = new StringBuilder();
  private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
  private WebSocket ws;
  /** The id the server assigned in its welcome. */
  String id;
  /** The welcome message. */
  JsonNode welcome;

  private WsClient() {}

  /** Connects to {@code /signal} on {@code port} and reads the welcome. */
  static WsClient connect(int port) throws Exception {
    WsClient c = new WsClient();
    c.ws = HTTP.newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/signal"), c)
        .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    c.welcome = c.expect("welcome");
    c.id = c.welcome.get("id").asText();
    return c;
  }

  /** Connects and joins {@code room}, reading the joined reply. */
  static WsClient joined(int port, String room) throws Exception {
    WsClient c = connect(port);
    c.join(room);
    return c;
  }

  /** Sends a join for {@code room} and returns the joined reply. */
  JsonNode join(String room) throws Exception {
    send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
    JsonNode joined = expect("joined");
    assertEquals(room, joined.get("room").asText());
    return joined;
  }

  /** Sends a text frame and waits until it is handed to the network. */
  void send(String message) throws Exception {
    ws.sendText(message, true).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  /** Sends a binary frame and waits until it is handed to the network. */
  void sendBinary(byte[] frame) throws Exception {
    ws.sendBinary(ByteBuffer.wrap(frame), true).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  /** Returns the next frame, failing the test if none comes within the timeout. */
  Frame next() throws InterruptedException {
    Frame f = frames.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    assertNotNull(f, "no frame within " + TIMEOUT_MS + " ms");
    return f;
  }

  /** Returns the next frame, which must be a text message of {@code type}. */
  JsonNode expect(String type) throws Exception {
    Frame f = next();
    if (f.text() == null) {
      fail("expected " + type + ", got " + f);
    }
    JsonNode m = JSON.readTree(f.text());
    assertEquals(type, m.path("type").asText(), "message " + f.text());
    return m;
  }

  /** Returns the next frame, which must be a text message of one of two types. */
  JsonNode expect(String type, String orType) throws Exception {
    Frame f = next();
    if (f.text() == null) {
      fail("expected " + type + " or " + orType + ", got " + f);
    }
    JsonNode m = JSON.readTree(f.text());
    String t = m.path("type").asText();
    assertTrue(t.equals(type) || t.equals(orType), "message " + f.text());
    return m;
  }

  /** Like {@link #expect} but passes over binary frames on the way (relayed floods). */
  JsonNode expectSkippingBinary(String type) throws Exception {
    Frame f = next();
    while (f.binary() != null) {
      f = next();
    }
    if (f.text() == null) {
      fail("expected " + type + ", got " + f);
    }
    JsonNode m = JSON.readTree(f.text());
    assertEquals(type, m.path("type").asText(), "message " + f.text());
    return m;
  }

  /** Returns the next frame, waiting up to {@code ms}; null when none came. */
  Frame poll(long ms) throws InterruptedException {
    return frames.poll(ms, TimeUnit.MILLISECONDS);
  }

  /** Returns the next frame if one has arrived, else null at once. */
  Frame poll() {
    return frames.poll();
  }

  /** Returns the next frame's bytes, which must be binary. */
  byte[] expectBinary() throws InterruptedException {
    Frame f = next();
    if (f.binary() == null) {
      fail("expected a binary frame, got " + f);
    }
    return f.binary();
  }

  /** Returns the next error, which must have {@code code}. */
  JsonNode expectError(String code) throws Exception {
    JsonNode e = expect("error");
    assertEquals(code, e.get("code").asText(), "error " + e);
    assertEquals(true, e.get("message").isTextual(), "error " + e);
    return e;
  }

  /** Returns the close frame, which must come next. */
  Frame expectClose() throws InterruptedException {
    Frame f = next();
    if (!f.isClose()) {
      fail("expected the close, got " + f);
    }
    return f;
  }

  /**
   * Asserts that nothing was sent to this client: a ping's pong must be the next frame. The
   * server answers in order, so whatever it had sent before would come first.
   */
  void assertNothingReceived() throws Exception {
    send("{\"type\":\"ping\"}");
    expect("pong");
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    text.append(data);
    if (last) {
      frames.add(new Frame(text.toString(), null, 0, null));
      text.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] b = new byte[data.remaining()];
    data.get(b);
    binary.writeBytes(b);
    if (last) {
      frames.add(new Frame(null, binary.toByteArray(), 0, null));
      binary.reset();
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    frames.add(new Frame(null, null, statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    frames.add(new Frame(null, null, -1, String.valueOf(error)));
  }

  /** Closes the connection normally (no wait for the server's answer). */
  @Override
  public void close() {
    if (!ws.isOutputClosed()) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
  }

  /** Drops the connection without a close handshake. */
  void abort() {
    ws.abort();
  }
}
