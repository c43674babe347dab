package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The provider's credit gate between real headless Chromium browsers (each its own driver):
 * a flooding peer is throttled, told to back off, then cut off with a reason and refused for a
 * while, while the honest peers keep editing and converge; a peer that is told to back off
 * pauses and loses nothing; a large late join under the defaults never touches a limit.
 */
class ProviderCreditBrowserTest extends ProviderFixture {
  /** A policy tight enough for a flood to run its course in seconds: 64 KiB/s, 256 KiB, 2 s in debt. */
  static final String TIGHT = "{capacity: 262144, refillPerSecond: 65536, maxThrottledMs: 2000, banMs: 60000}";

  /**
   * Starts a flood in the page: every 10 ms, as many copies of {@code update(full state)} as
   * make {@code bytesPerSecond}, straight to every peer past the credit gate and any backoff
   * (the test hook). The peers have that state already, so every copy is redundant.
   */
  static final String FLOOD = "var rate = arguments[0], state = H.doc.encodeStateAsUpdate(), head = [2], n = state.length;"
      + "while (n > 127) { head.push((n & 127) | 128); n = n >>> 7; } head.push(n);"
      + "var m = new Uint8Array(head.length + state.length); m.set(head, 0); m.set(state, head.length);"
      + "window.flood = {sent: 0, bytes: m.length, wallStart: Date.now()};"
      + "var per = rate / 100 / m.length, owed = 0;"
      + "window.flood.timer = setInterval(function () { owed += per;"
      + "  while (owed >= 1) { owed--; if (H.provider._r.testSendRaw(m) > 0) window.flood.sent++; } }, 10);"
      + "return m.length;";

  static double probeMs; // latency of an honest edit during the flood, measured once

  @SuppressWarnings("unchecked")
  static Map<String, Object> peer(Page p, Object id) {
    for (Map<String, Object> r : ProviderBrowserTest.peers(p)) {
      if (r.get("id").equals(id)) {
        return r;
      }
    }
    return null;
  }

  /** The reasons of every peer dropped in the page's peers events, as JSON [[id, reason]]. */
  static String dropped(Page p) {
    return (String) p.js("return JSON.stringify([].concat.apply([], H.events.filter(function (e) { return e[0] === 'peers'; })"
        + ".map(function (e) { return (e[1].dropped || []).map(function (d) { return [d.id, d.reason]; }); })))");
  }

  @Test
  void threeBrowsers_oneFloodsRedundantUpdates_isThrottledThenCutOffWithAReason_andTheHonestTwoConverge() throws Exception {
    // the flooder records its signaling sockets, so that the test can make it reconnect later
    String recordSockets = "var W = WebSocket; window.sockets = [];"
        + "window.WebSocket = function (u, p) { var s = p === undefined ? new W(u) : new W(u, p); sockets.push(s); return s; };"
        + "WebSocket.prototype = W.prototype; WebSocket.OPEN = 1;";
    String options = "{signaling: [S], credit: " + TIGHT + "}";
    try (ProviderBrowserTest.Mesh m = ProviderBrowserTest.mesh(3, "flood", options, "webrtc", 200, recordSockets)) {
      List<Page> all = m.pages();
      Page a = all.get(0);
      Page b = all.get(1);
      Page f = all.get(2);
      ProviderBrowserTest.editAll(all, 100, m.seed());
      ProviderBrowserTest.awaitConverged(all, 20);
      Object fid = f.js("return H.provider.id");
      Object aid = a.js("return H.provider.id");
      Object bid = b.js("return H.provider.id");
      // 10 times its allowance (the refill rate) of redundant updates, to both honest peers
      long size = (Long) f.js(FLOOD, 10 * 65536);
      long start = System.nanoTime();
      double[] throttledAt = new double[2];
      probeMs = -1;
      double[] cutAt = new double[2];
      int round = 0;
      List<Page> honest = List.of(a, b);
      while (cutAt[0] == 0 || cutAt[1] == 0) {
        assertTrue(System.nanoTime() - start < 20e9, "not cut off in 20 s: a " + dropped(a) + " b " + dropped(b));
        for (int i = 0; i < 2; i++) {
          Page p = honest.get(i);
          // the honest peers keep editing all through the flood
          p.js("H.edit(arguments[0], 3, arguments[1])", i == 0 ? "a" : "b", m.seed() + 100 + round);
          Map<String, Object> r = peer(p, fid);
          double t = (System.nanoTime() - start) / 1e6;
          if (r != null && "throttled".equals(r.get("state")) && throttledAt[i] == 0) {
            throttledAt[i] = t;
            assertTrue(((Number) r.get("credit")).doubleValue() < 0, r.toString());
            if (i == 0) {
              // while a holds the flooder's messages: how long does an edit of a take to reach b?
              Page other = honest.get(1);
              long sent = System.nanoTime();
              p.js("H.doc.getMap('probe').set('p', arguments[0])", "during-flood");
              Page.await(10, () -> "during-flood".equals(other.js("return H.doc.getMap('probe').get('p')")), () -> "probe lost");
              probeMs = (System.nanoTime() - sent) / 1e6;
            }
          }
          if (cutAt[i] == 0 && dropped(p).contains("\"" + fid + "\"")) {
            cutAt[i] = t;
          }
        }
        round++;
        Thread.sleep(40);
      }
      for (int i = 0; i < 2; i++) {
        Page p = honest.get(i);
        assertTrue(throttledAt[i] > 0 && throttledAt[i] < cutAt[i], p.name + " never saw the flooder throttled before the cut-off");
        String reasons = dropped(p);
        assertTrue(reasons.contains("kept sending while throttled"), reasons);
        System.out.printf("flood of %d-byte redundant updates at 640 KiB/s (10x a 64 KiB/s refill): %s throttled it after %.0f ms,"
            + " cut it off after %.0f ms: %s%n", size, p.name, throttledAt[i], cutAt[i], reasons);
      }
      f.js("clearInterval(flood.timer)");
      System.out.printf("an edit of one honest peer reached the other in %.0f ms (WebDriver round trips included)"
          + " while the flooder was throttled%n", probeMs);
      assertTrue(probeMs >= 0 && probeMs < 3000, "honest edit took " + probeMs + " ms");
      // the honest two still list each other and nothing else; the flooder lost both
      ProviderBrowserTest.awaitPaths(a, "webrtc:true", 10);
      ProviderBrowserTest.awaitPaths(b, "webrtc:true", 10);
      ProviderBrowserTest.awaitPaths(f, "", 10);
      // more edits after the flood, then the honest two converge with everything both wrote
      ProviderBrowserTest.editAll(honest, 50, m.seed() + 7);
      ProviderBrowserTest.awaitConverged(honest, 20);
      ProviderBrowserTest.assertConverged(honest);
      Map<String, Object> ab = peer(a, bid);
      Map<String, Object> ba = peer(b, aid);
      for (Map<String, Object> r : List.of(ab, ba)) {
        assertEquals("ok", r.get("state"), r.toString());
        assertEquals(0L, ((Number) r.get("rejected")).longValue(), r.toString());
        assertTrue(((Number) r.get("opsIn")).longValue() > 0 && ((Number) r.get("opsOut")).longValue() > 0, r.toString());
        assertTrue(((Number) r.get("credit")).doubleValue() > 0, r.toString());
      }
      String text = (String) a.js("return H.doc.getText('t').toString()");
      assertTrue(text.contains("a0 ") && text.contains("b0 "), "an edit of the flood's time is missing: " + text);
      // not re-admitted for a while: the flooder reconnects and says hello again; both refuse it
      f.js("H.events.length = 0; sockets[sockets.length - 1].close()");
      Page.await(15, () -> f.js("return H.events.filter(function (e) { return e[0] === 'status'"
          + " && e[1].status === 'connected'; }).length").equals(1L) && Boolean.TRUE.equals(f.js("return H.provider.synced")),
          () -> "the flooder did not rejoin and hear back: " + f.js("return JSON.stringify(H.events)"));
      Thread.sleep(1500); // enough for a WebRTC connection to open, were it admitted
      assertEquals("", f.paths());
      assertEquals("webrtc:true", a.paths());
      assertEquals("webrtc:true", b.paths());
    }
  }

  @Test
  void malformedMessages_cutThePeerOffAtTheTenth_withTheReason() throws Exception {
    try (ProviderBrowserTest.Mesh m = ProviderBrowserTest.mesh(2, "malformed", "{signaling: [S]}", "webrtc", 220, null)) {
      Page a = m.pages().get(0);
      Page bad = m.pages().get(1);
      Object badId = bad.js("return H.provider.id");
      bad.js("for (var i = 0; i < 12; i++) H.provider._r.testSendRaw(new Uint8Array([2, 3, 9, 9, 9]));");
      Page.await(10, () -> dropped(a).contains("10 malformed"), () -> "a: " + dropped(a) + " " + a.paths());
      assertTrue(dropped(a).contains("\"" + badId + "\""), dropped(a));
      ProviderBrowserTest.awaitPaths(a, "", 10);
      ProviderBrowserTest.awaitPaths(bad, "", 10);
    }
  }

  @Test
  void backoff_pausesWhatWeSendToThatPeer_andTheUpdatesOfThePauseArriveMergedWithoutLoss() throws Exception {
    try (ProviderBrowserTest.Mesh m = ProviderBrowserTest.mesh(2, "backoff", "{signaling: [S]}", "webrtc", 240, null)) {
      Page a = m.pages().get(0);
      Page b = m.pages().get(1);
      ProviderBrowserTest.editAll(m.pages(), 20, m.seed());
      ProviderBrowserTest.awaitConverged(m.pages(), 20);
      Object aid = a.js("return H.provider.id");
      Object bid = b.js("return H.provider.id");
      long before = ((Number) peer(a, bid).get("messagesIn")).longValue();
      long heard = ((Number) peer(b, aid).get("messagesIn")).longValue();
      // a tells b to wait 1500 ms (backoff := varUint(4) • varUint(1500))
      a.js("H.provider._r.testSendRaw(new Uint8Array([4, 0xdc, 0x0b]))");
      Page.await(5, () -> ((Number) peer(b, aid).get("messagesIn")).longValue() == heard + 1, () -> "b did not get the backoff");
      Thread.sleep(100);
      long t0 = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        b.js("H.edit('p', 10, arguments[0])", m.seed() + 50 + i); // five tasks: five messages normally
      }
      Thread.sleep(600);
      assertEquals(before, ((Number) peer(a, bid).get("messagesIn")).longValue(), "b sent to a during the pause");
      assertTrue(!a.state().equals(b.state()));
      ProviderBrowserTest.awaitConverged(m.pages(), 10);
      double ms = (System.nanoTime() - t0) / 1e6;
      assertTrue(ms > 1000, "converged " + ms + " ms after the edits: the pause was not kept");
      assertEquals(before + 1, ((Number) peer(a, bid).get("messagesIn")).longValue(),
          "the five updates of the pause were not merged into one message");
    }
  }

  @Test
  void lateJoiner_ofAMultiMegabyteDocument_underTheDefaults_neverHitsALimit() throws Exception {
    lateJoin("webrtc", "true");
  }

  @Test
  void lateJoiner_ofAMultiMegabyteDocument_overTheRelay_underTheDefaults_neverHitsALimit() throws Exception {
    lateJoin("relay", "false");
    String metrics = new String(new java.net.URL(base + "/metrics").openStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(!metrics.matches("(?s).*\"held\":[1-9].*") && !metrics.contains("\"throttled\""), "the server held frames: " + metrics);
  }

  static void lateJoin(String path, String webrtc) throws Exception {
    try (Page a = Page.open(base, "holder"); Page b = Page.open(base, "joiner")) {
      String room = "bigjoin-" + path + System.nanoTime();
      String options = "{signaling: [arguments[1]], webrtc: " + webrtc + "}";
      a.js("H.open(arguments[0], " + options + ", 260)", room, signaling());
      long chars = (Long) a.js("return H.fill(4000000, 4000, 5)");
      long bytes = (Long) a.js("return H.doc.encodeStateAsUpdate().length");
      assertTrue(bytes > 3_000_000, "state " + bytes);
      b.js("H.open(arguments[0], " + options + ", 261)", room, signaling());
      ProviderBrowserTest.awaitPaths(b, path + ":true", 60);
      Page.await(60, () -> Long.valueOf(chars).equals(b.js("return H.doc.getText('t').length")), () -> "joiner at "
          + b.js("return H.doc.getText('t').length") + " of " + chars);
      String sv = "return Array.from(H.doc.encodeStateVector()).join()";
      assertEquals(a.js(sv), b.js(sv));
      assertEquals(a.js("return H.doc.getText('t').toString()"), b.js("return H.doc.getText('t').toString()"));
      for (Page p : List.of(a, b)) {
        Map<String, Object> r = ProviderBrowserTest.peers(p).get(0);
        assertEquals("ok", r.get("state"), p.name + " " + r);
        assertEquals(0L, ((Number) r.get("rejected")).longValue(), r.toString());
        assertEquals(0L, ((Number) r.get("redundant")).longValue(), r.toString());
        assertTrue(((Number) r.get("credit")).doubleValue() > 8_000_000, p.name + " " + r);
      }
      System.out.printf("late join over %s of a %d-character doc (%d bytes of state) under the default credit: joiner's"
          + " record of the holder %s%n", path, chars, bytes, ProviderBrowserTest.peers(b).get(0));
    }
  }

  @Test
  void creditOption_isChecked_andFalseTurnsTheAccountingOff() throws Exception {
    try (Page p = Page.open(base, "options")) {
      String errors = (String) p.js("var d = new MyceliumSync.Doc(), out = [];"
          + "[{credit: 'yes'}, {credit: null}, {credit: {capacity: -1}}, {credit: {refillPerSecond: 0}},"
          + " {credit: {costPerOp: NaN}}, {credit: {redundantMultiplier: 0.5}}, {credit: {maxViolations: 1.5}},"
          + " {credit: {initialBalance: 20, capacity: 10}}, {credit: {banMs: '1'}}].forEach(function (o) {"
          + "  o.signaling = []; o.tabs = false;"
          + "  try { new MyceliumSync.WebrtcProvider('r', d, o).destroy(); out.push('none'); } catch (e) { out.push(e.name); } });"
          + "return out.join(',');");
      assertEquals("TypeError,TypeError,RangeError,RangeError,TypeError,RangeError,RangeError,RangeError,TypeError", errors);
      assertEquals("ok", p.js("var d = new MyceliumSync.Doc();"
          + "[{credit: true}, {credit: false}, {credit: {capacity: 10, refillPerSecond: 1, maxViolations: 2, banMs: 0}}].forEach(function (o) {"
          + "  o.signaling = []; o.tabs = false; new MyceliumSync.WebrtcProvider('r', d, o).destroy(); }); return 'ok';"));
    }
    // with credit: false a peer's record has no balance, and both sides still sync
    try (ProviderBrowserTest.Mesh m = ProviderBrowserTest.mesh(2, "creditOff", "{signaling: [S], credit: false}", "webrtc", 280, null)) {
      ProviderBrowserTest.editAll(m.pages(), 30, m.seed());
      ProviderBrowserTest.awaitConverged(m.pages(), 20);
      Map<String, Object> r = ProviderBrowserTest.peers(m.pages().get(0)).get(0);
      assertTrue(r.containsKey("credit") && r.get("credit") == null, r.toString());
      assertEquals("ok", r.get("state"));
    }
  }
}
