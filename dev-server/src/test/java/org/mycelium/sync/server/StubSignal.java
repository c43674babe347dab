package org.mycelium.sync.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.websocket.WsContext;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TEMPORARY: a minimal /signal that follows the protocol as specified to the server engineer,
 * so that the provider can be tested before branch `server` lands. No limits, no credit.
 */
final class StubSignal implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Javalin app;
  private final Map<String, WsContext> byId = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> rooms = new ConcurrentHashMap<>();

  StubSignal() {
    this(0);
  }

  StubSignal(int port) {
    app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.staticFiles.add(s -> {
        s.hostedPath = "/";
        s.directory = TestServer.ROOT.resolve("demo-site").toString();
        s.location = Location.EXTERNAL;
      });
      config.staticFiles.add(s -> {
        s.hostedPath = "/dist";
        s.directory = TestServer.ROOT.resolve("dist").toString();
        s.location = Location.EXTERNAL;
        s.mimeTypes.add("application/wasm", "wasm");
        s.mimeTypes.add("text/javascript", "mjs");
      });
      config.routes.ws("/signal", ws -> {
        ws.onConnect(ctx -> {
          byId.put(ctx.sessionId(), ctx);
          send(ctx, "{\"type\":\"welcome\",\"id\":\"" + ctx.sessionId() + "\",\"limits\":{\"maxBinaryBytes\":1048576,\"pingIntervalMs\":20000}}");
        });
        ws.onMessage(ctx -> text(ctx, ctx.message()));
        ws.onBinaryMessage(ctx -> {
          ByteBuffer b = ctx.data().duplicate();
          byte[] bytes = new byte[b.remaining()];
          b.get(bytes);
          binary(ctx, bytes);
        });
        ws.onClose(ctx -> closed(ctx.sessionId()));
      });
    });
    app.start("127.0.0.1", port);
  }

  int port() {
    return app.port();
  }

  private static synchronized void send(WsContext c, String s) {
    try {
      c.send(s);
    } catch (RuntimeException e) {
      // gone
    }
  }

  private synchronized void text(WsContext c, String s) throws Exception {
    JsonNode m = JSON.readTree(s);
    String type = m.path("type").asText();
    String room = m.path("room").asText();
    String me = c.sessionId();
    switch (type) {
      case "join" -> {
        Set<String> r = rooms.computeIfAbsent(room, k -> ConcurrentHashMap.newKeySet());
        ObjectNode joined = JSON.createObjectNode().put("type", "joined").put("room", room);
        var peers = joined.putArray("peers");
        for (String p : r) {
          peers.add(p);
          send(byId.get(p), JSON.createObjectNode().put("type", "peer-joined").put("room", room).put("peer", me).toString());
        }
        r.add(me);
        send(c, joined.toString());
      }
      case "leave" -> leave(room, me);
      case "ping" -> send(c, "{\"type\":\"pong\"}");
      case "signal" -> {
        ObjectNode out = JSON.createObjectNode().put("type", "signal").put("room", room).put("from", me);
        out.set("data", m.get("data"));
        String to = m.path("to").asText("");
        for (String p : rooms.getOrDefault(room, Set.of())) {
          if (!p.equals(me) && (to.isEmpty() || to.equals(p))) {
            send(byId.get(p), out.toString());
          }
        }
      }
      default -> send(c, "{\"type\":\"error\",\"code\":\"unknown-type\",\"message\":\"?\"}");
    }
  }

  private void leave(String room, String me) {
    Set<String> r = rooms.get(room);
    if (r != null && r.remove(me)) {
      for (String p : r) {
        send(byId.get(p), JSON.createObjectNode().put("type", "peer-left").put("room", room).put("peer", me).toString());
      }
    }
  }

  private synchronized void binary(WsContext c, byte[] data) {
    int[] pos = {0};
    int kind;
    String room;
    String to;
    try {
      kind = varUint(data, pos);
      room = varString(data, pos);
      to = varString(data, pos);
    } catch (RuntimeException e) {
      send(c, "{\"type\":\"error\",\"code\":\"bad-frame\",\"message\":\"malformed relay frame\"}");
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(kind);
    writeString(out, room);
    writeString(out, c.sessionId());
    out.write(data, pos[0], data.length - pos[0]);
    byte[] bytes = out.toByteArray();
    for (String p : rooms.getOrDefault(room, Set.of())) {
      if (!p.equals(c.sessionId()) && (to.isEmpty() || to.equals(p))) {
        WsContext t = byId.get(p);
        synchronized (StubSignal.class) {
          try {
            t.send(ByteBuffer.wrap(bytes));
          } catch (RuntimeException e) {
            // gone
          }
        }
      }
    }
  }

  private synchronized void closed(String me) {
    byId.remove(me);
    for (String room : rooms.keySet()) {
      leave(room, me);
    }
  }

  private static int varUint(byte[] b, int[] pos) {
    int v = 0;
    for (int shift = 0; ; shift += 7) {
      int x = b[pos[0]++] & 0xff;
      v |= (x & 0x7f) << shift;
      if (x < 0x80) {
        return v;
      }
    }
  }

  private static String varString(byte[] b, int[] pos) {
    int n = varUint(b, pos);
    String s = new String(b, pos[0], n, StandardCharsets.UTF_8);
    pos[0] += n;
    return s;
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    int n = b.length;
    while (n >= 0x80) {
      out.write((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.write(n);
    out.write(b, 0, b.length);
  }

  @Override
  public void close() {
    app.stop();
  }
}
