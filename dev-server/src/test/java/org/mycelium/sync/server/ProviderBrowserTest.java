package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.mycelium.sync.CreditPolicy;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * MyceliumSync.WebrtcProvider between real headless Chromium browsers (each its own driver and
 * fresh profile) through the dev server's /signal on port 0.
 */
class ProviderBrowserTest extends ProviderFixture {
  static void assertConverged(List<Page> pages) {
    String first = pages.get(0).state();
    for (Page p : pages.subList(1, pages.size())) {
      assertEquals(first, p.state(), p.name + " differs from " + pages.get(0).name);
    }
    assertTrue(first.length() > 100, first);
  }

  static void awaitConverged(List<Page> pages, int seconds) {
    Page.await(seconds, () -> {
      String first = pages.get(0).state();
      return pages.stream().allMatch(p -> p.state().equals(first));
    }, () -> {
      StringBuilder b = new StringBuilder("replicas differ:");
      for (Page p : pages) {
        b.append("\n  ").append(p.name).append(" peers=").append(p.paths()).append(' ').append(p.state());
      }
      return b.toString();
    });
  }

  static void awaitPaths(Page p, String expected, int seconds) {
    Page.await(seconds, () -> expected.equals(p.paths()), () -> p.name + " peers: " + p.paths() + ", events " + p.js("return JSON.stringify(H.events)"));
  }

  /** Opens the provider in page {@code p} with options given as JS source ({@code S} is the signaling URL). */
  static void connect(Page p, String room, String options, int clientId) {
    Object r = p.js("var S = arguments[1]; try { H.open(arguments[0], " + options + ", arguments[2]); return 'ok'; }"
        + " catch (e) { return String(e.stack || e); }", room, signaling(), clientId);
    assertEquals("ok", r, p.name);
  }

  /** Every page makes {@code n} seeded random edits of text, list and map, all at once. */
  static void editAll(List<Page> pages, int n, long seed) {
    for (int i = 0; i < pages.size(); i++) {
      pages.get(i).js("H.edit(arguments[0], arguments[1], arguments[2])", "ABCDEFGH".substring(i, i + 1), n, seed + i);
    }
  }

  static List<Page> browsers(int n) throws Exception {
    return browsers(n, null);
  }

  /** Starts {@code n} browsers on the harness with {@code engine} ("js": the JS fallback; null: the default). */
  static List<Page> browsers(int n, String engine) throws Exception {
    List<Page> pages = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        pages.add(Page.open(base, "browser" + i, engine));
      }
    } catch (Exception | Error e) {
      pages.forEach(Page::close);
      throw e;
    }
    return pages;
  }

  static long seed(String test) {
    long seed = System.nanoTime();
    System.out.println(test + " seed " + seed);
    return seed;
  }

  /** {@code n} browsers in one room, connected with {@code options}, each listing the others on {@code path}. */
  record Mesh(List<Page> pages, long seed, String room) implements AutoCloseable {
    @Override
    public void close() {
      pages.forEach(Page::close);
    }
  }

  /** Starts the browsers, runs {@code prepare} in each (may be null), connects them and waits for the paths. */
  static Mesh mesh(int n, String test, String options, String path, int firstClient, String prepare) throws Exception {
    return mesh(n, test, options, path, firstClient, prepare, null);
  }

  /** As {@link #mesh(int, String, String, String, int, String)}, on the harness with {@code engine}. */
  static Mesh mesh(int n, String test, String options, String path, int firstClient, String prepare, String engine)
      throws Exception {
    List<Page> pages = browsers(n, engine);
    Mesh m = new Mesh(pages, seed(test), test + "-" + System.nanoTime());
    try {
      for (int i = 0; i < n; i++) {
        if (prepare != null) {
          pages.get(i).js(prepare);
        }
        connect(pages.get(i), m.room(), options, firstClient + i);
      }
      String expected = String.join(",", java.util.Collections.nCopies(n - 1, path + ":true"));
      for (Page p : pages) {
        awaitPaths(p, expected, 20);
      }
      return m;
    } catch (Exception | Error e) {
      m.close();
      throw e;
    }
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> peers(Page p) {
    return (List<Map<String, Object>>) p.js("return H.peers()");
  }

  @Test
  void twoBrowsers_editConcurrently_andConvergeOverWebrtc() throws Exception {
    try (Mesh m = mesh(2, "twoBrowsers", "{signaling: [S]}", "webrtc", 10, null)) {
      List<Page> pages = m.pages();
      editAll(pages, 200, m.seed());
      awaitConverged(pages, 20);
      assertConverged(pages);
      List<Map<String, Object>> peers = peers(pages.get(0));
      assertEquals("webrtc", peers.get(0).get("path"));
      assertEquals(pages.get(1).js("return H.provider.id"), peers.get(0).get("id"));
      assertTrue(((Number) peers.get(0).get("messagesIn")).intValue() > 2, peers.toString());
      assertEquals(0L, pages.get(0).js("return H.provider.malformed"));
      // the events said the same: peers with their path, synced, status
      String events = (String) pages.get(1).js("return JSON.stringify(H.events)");
      assertTrue(events.contains("\"path\":\"webrtc\""), events);
      assertTrue(events.contains("[\"synced\",{\"synced\":true"), events);
      assertTrue(events.contains("[\"status\",{\"connected\":true,\"status\":\"connected\"}]"), events);
      assertEquals(true, pages.get(0).js("return H.provider.synced"));
      // the harness turns the debug trace on: it tells when the session opened on which path
      String trace = (String) pages.get(0).js("return H.log.join('\\n')");
      assertTrue(trace.contains("open " + peers.get(0).get("id") + " webrtc"), trace);
    }
  }

  @Test
  void twoBrowsers_onTheJsFallback_openADataChannel_andConvergeOverWebrtc() throws Exception {
    try (Mesh m = mesh(2, "twoBrowsersJs", "{signaling: [S]}", "webrtc", 30, null, "js")) {
      List<Page> pages = m.pages();
      for (Page p : pages) {
        assertEquals("js", p.js("return MyceliumSync.engine"), p.name);
      }
      editAll(pages, 200, m.seed());
      awaitConverged(pages, 20);
      assertConverged(pages);
      List<Map<String, Object>> peers = peers(pages.get(0));
      assertEquals("webrtc", peers.get(0).get("path"));
      assertTrue(((Number) peers.get(0).get("messagesIn")).intValue() > 2, peers.toString());
      for (Page p : pages) {
        assertEquals(0L, p.js("return H.provider.malformed"), p.name);
        String events = (String) p.js("return JSON.stringify(H.events)");
        assertTrue(events.contains("\"path\":\"webrtc\""), events);
      }
    }
  }

  @Test
  void threeBrowsers_editConcurrently_andConvergeOverWebrtc_withPresence() throws Exception {
    try (Mesh m = mesh(3, "threeBrowsers", "{signaling: [S]}", "webrtc", 20, null)) {
      List<Page> pages = m.pages();
      for (int i = 0; i < 3; i++) {
        pages.get(i).js("H.provider.awareness.setLocalState({name: arguments[0]})", "user" + i);
      }
      editAll(pages, 150, m.seed());
      awaitConverged(pages, 20);
      assertConverged(pages);
      Page.await(10, () -> Long.valueOf(3).equals(pages.get(0).js("return H.provider.awareness.getStates().size")),
          () -> "presence: " + pages.get(0).js("return JSON.stringify(Array.from(H.provider.awareness.getStates()))"));
      assertEquals("user2", pages.get(0).js("return H.provider.awareness.getStates().get(22).name"));
      // one leaves: the others drop its peer and its presence
      pages.get(2).js("H.destroy()");
      for (Page p : pages.subList(0, 2)) {
        awaitPaths(p, "webrtc:true", 10);
        Page.await(10, () -> Long.valueOf(2).equals(p.js("return H.provider.awareness.getStates().size")), () -> "presence after leave");
      }
    }
  }

  /** Connects {@code a} first in {@code room}, makes {@code edits} edits and waits until it is synced, alone. */
  static void joinAlone(Page a, String room, int clientId, int edits, long seed) {
    connect(a, room, "{signaling: [S]}", clientId);
    a.js("H.edit('A', arguments[0], arguments[1])", edits, seed);
    // alone in the room: synced as soon as the room is joined
    Page.await(10, () -> Boolean.TRUE.equals(a.js("return H.provider.synced")), () -> "alone but not synced");
  }

  @Test
  void lateJoiner_getsTheFullState_andAPeerThatComesBack_converges() throws Exception {
    List<Page> pages = browsers(2);
    Page a = pages.get(0);
    Page b = pages.get(1);
    try {
      long seed = seed("lateJoiner");
      String room = "late-" + seed;
      joinAlone(a, room, 30, 300, seed);
      connect(b, room, "{signaling: [S]}", 31);
      awaitPaths(b, "webrtc:true", 20);
      awaitConverged(pages, 20);
      assertConverged(pages);
      b.js("H.provider.awareness.setLocalState({name: 'b before'})");
      Page.await(10, () -> "b before".equals(a.js("var s = H.provider.awareness.getStates().get(31); return s && s.name")), () -> "no presence");
      // b leaves, both edit, b comes back with a new provider on the same doc
      b.js("H.destroy()");
      Page.await(10, () -> "".equals(a.paths()), () -> "a still lists " + a.paths());
      a.js("H.edit('a', 100, arguments[0])", seed + 1);
      b.js("H.edit('b', 100, arguments[0])", seed + 2);
      b.js("H.connect(arguments[0], {signaling: [arguments[1]]})", room, signaling());
      assertEquals(1L, b.js("return H.provider.awareness.getStates().size + (H.provider.awareness.getLocalState() === null ? 1 : 0)"),
          "the new provider starts with no presence but a's, which comes again");
      b.js("H.provider.awareness.setLocalState({name: 'b after'})");
      awaitPaths(a, "webrtc:true", 20);
      awaitPaths(b, "webrtc:true", 20);
      awaitConverged(pages, 20);
      assertConverged(pages);
      // the new provider's presence is accepted: its clock went on from the old one's
      Page.await(10, () -> "b after".equals(a.js("var s = H.provider.awareness.getStates().get(31); return s && s.name")),
          () -> "a sees " + a.js("return JSON.stringify(Array.from(H.provider.awareness.getStates()))"));
    } finally {
      pages.forEach(Page::close);
    }
  }

  @Test
  void firstFramesLostOnTheDataChannel_theAnswererOpensAfterItsGrace_andTheStalledOffererAsksAgain() throws Exception {
    // The newcomer (the offerer) loses its first two sends on the data channel, syncStep1 and
    // presence, as Chromium once lost an answerer's (issue #5). The answerer gets no first frame,
    // so it opens after its grace period; the offerer's session stalls unsynced and asks again.
    String lose = "var send = RTCDataChannel.prototype.send; window.lost = 0;"
        + "RTCDataChannel.prototype.send = function (d) { if (lost < 2) { lost++; return; } return send.call(this, d); };";
    List<Page> pages = browsers(2);
    Page a = pages.get(0);
    Page b = pages.get(1);
    try {
      long seed = seed("firstFramesLost");
      String room = "lost-" + seed;
      joinAlone(a, room, 140, 50, seed);
      b.js(lose);
      b.js("H.open(arguments[0], {signaling: [arguments[1]]}, 141); H.edit('B', 50, arguments[2])", room, signaling(), seed + 1);
      awaitPaths(a, "webrtc:true", 20);
      awaitPaths(b, "webrtc:true", 20);
      awaitConverged(pages, 20);
      assertConverged(pages);
      assertEquals(2L, b.js("return lost"));
      String traceA = (String) a.js("return H.log.join('\\n')");
      String traceB = (String) b.js("return H.log.join('\\n')");
      assertTrue(traceA.contains("opening anyway"), traceA);
      assertTrue(traceB.contains("stalled "), traceB);
    } finally {
      pages.forEach(Page::close);
    }
  }

  @Test
  void aStateOver16MiB_crossesTheDataChannel_whoseBufferNeverFillsUp() throws Exception {
    // Chromium refuses a send that would put over 16 MiB in a channel's buffer; a 24 MiB
    // syncStep2 is 1,500 frames sent at once. The provider holds frames while the buffer is full.
    // Credit is off: this is about the channel, not the accounting of a 24 MiB message.
    String watch = "var send = RTCDataChannel.prototype.send; window.maxBuffered = 0;"
        + "RTCDataChannel.prototype.send = function (d) { maxBuffered = Math.max(maxBuffered, this.bufferedAmount); return send.call(this, d); };";
    List<Page> pages = browsers(2);
    Page a = pages.get(0);
    Page b = pages.get(1);
    try {
      String room = "big-" + seed("bigState");
      a.js(watch);
      connect(a, room, "{signaling: [S], credit: false}", 150);
      long chars = (Long) a.js("return H.fill(24000000, 240, 5)");
      connect(b, room, "{signaling: [S], credit: false}", 151);
      Page.await(90, () -> Long.valueOf(chars).equals(b.js("return H.doc.getText('t').length")),
          () -> "b has " + b.js("return H.doc.getText('t').length") + " of " + chars + " characters; a " + a.paths() + ", b " + b.paths()
              + ", a's channel buffer peaked at " + a.js("return maxBuffered"));
      awaitPaths(a, "webrtc:true", 20);
      awaitPaths(b, "webrtc:true", 20);
      long peak = ((Number) a.js("return maxBuffered")).longValue();
      assertTrue(peak > (1 << 20) && peak < (16 << 20), "a's channel buffer peaked at " + peak);
    } finally {
      pages.forEach(Page::close);
    }
  }

  @Test
  void relay_withWebrtcOff_twoBrowsersConverge() throws Exception {
    try (Mesh m = mesh(2, "relay", "{signaling: [S], webrtc: false}", "relay", 40, null)) {
      editAll(m.pages(), 200, m.seed());
      awaitConverged(m.pages(), 20);
      assertConverged(m.pages());
      assertEquals("relay", peers(m.pages().get(1)).get(0).get("path"));
    }
  }

  @Test
  void maxConnsZero_peersUseTheRelay() throws Exception {
    try (Mesh m = mesh(2, "maxConns", "{signaling: [S], maxConns: 0}", "relay", 45, null)) {
      editAll(m.pages(), 50, m.seed());
      awaitConverged(m.pages(), 20);
      assertConverged(m.pages());
    }
  }

  @Test
  void iceServers_reachTheBrowser_andHostCandidatesStillConnect() throws Exception {
    String record = "var R = RTCPeerConnection; window.configs = [];"
        + "window.RTCPeerConnection = function (c) { configs.push(JSON.stringify(c)); return new R(c); };"
        + "RTCPeerConnection.prototype = R.prototype;";
    String options = "{signaling: [S], iceServers: [{urls: 'stun:127.0.0.1:9'},"
        + " {urls: ['turn:127.0.0.1:9?transport=tcp'], username: 'u', credential: 'p'}]}";
    try (Mesh m = mesh(2, "iceServers", options, "webrtc", 47, record)) {
      for (Page p : m.pages()) {
        String configs = (String) p.js("return configs.join('|')");
        assertTrue(configs.contains("\"urls\":[\"stun:127.0.0.1:9\"]") && configs.contains("\"username\":\"u\""), configs);
      }
    }
  }

  @Test
  void fallback_whenNoDataChannelOpensInTime_thePeerUsesTheRelay() throws Exception {
    // every remote ICE candidate is dropped: the data channel can never open
    String noCandidates = "RTCPeerConnection.prototype.addIceCandidate = function () { return Promise.resolve(); };";
    try (Mesh m = mesh(2, "fallback", "{signaling: [S], connectTimeout: 1500}", "relay", 50, noCandidates)) {
      editAll(m.pages(), 100, m.seed());
      awaitConverged(m.pages(), 20);
      assertConverged(m.pages());
    }
  }

  @Test
  void tabs_ofOneBrowser_syncOverBroadcastChannel_withoutSignaling() throws Exception {
    ChromeDriver driver = Chromium.start();
    try {
      long seed = seed("tabs");
      Page a = Page.load(driver, base, "tab0");
      driver.switchTo().newWindow(WindowType.TAB);
      Page b = Page.load(driver, base, "tab1");
      List<Page> pages = List.of(a, b);
      for (int i = 0; i < 2; i++) {
        connect(pages.get(i), "tabs-" + seed, "{signaling: [], webrtc: false}", 60 + i);
      }
      for (Page p : pages) {
        awaitPaths(p, "tab:true", 20);
      }
      editAll(pages, 200, seed);
      awaitConverged(pages, 20);
      assertConverged(pages);
      assertEquals("connected", a.js("return H.provider.status"));
    } finally {
      driver.quit();
    }
  }

  @Test
  void aTabWithoutSignaling_reachesAnotherBrowser_throughATabThatHasIt() throws Exception {
    ChromeDriver driver = Chromium.start();
    try (Page c = Page.open(base, "other browser")) {
      long seed = seed("tabBridge");
      String room = "bridge-" + seed;
      Page a = Page.load(driver, base, "tab without signaling");
      driver.switchTo().newWindow(WindowType.TAB);
      Page b = Page.load(driver, base, "tab with signaling");
      connect(a, room, "{signaling: [], webrtc: false}", 110);
      connect(b, room, "{signaling: [S]}", 111);
      connect(c, room, "{signaling: [S]}", 112);
      a.js("H.provider.awareness.setLocalState({name: 'a'})");
      c.js("H.provider.awareness.setLocalState({name: 'c'})");
      awaitPaths(a, "tab:true", 20);
      awaitPaths(b, "tab:true,webrtc:true", 20);
      awaitPaths(c, "webrtc:true", 20);
      List<Page> pages = List.of(a, b, c);
      editAll(pages, 100, seed);
      awaitConverged(pages, 20);
      assertConverged(pages);
      // presence crosses too: a and c see each other through b
      Page.await(10, () -> "c".equals(a.js("var s = H.provider.awareness.getStates().get(112); return s && s.name")),
          () -> "a sees " + a.js("return JSON.stringify(Array.from(H.provider.awareness.getStates()))"));
      Page.await(10, () -> "a".equals(c.js("var s = H.provider.awareness.getStates().get(110); return s && s.name")),
          () -> "c sees " + c.js("return JSON.stringify(Array.from(H.provider.awareness.getStates()))"));
    } finally {
      driver.quit();
    }
  }

  @Test
  void twoSignalingServers_aPeerOnBoth_bridgesPeersOnOneEach() throws Exception {
    DevServer second = TestServer.start();
    List<Page> pages = browsers(3);
    try {
      long seed = seed("twoServers");
      String room = "servers-" + seed;
      String other = "ws://127.0.0.1:" + second.port() + "/signal";
      Page a = pages.get(0);
      Page b = pages.get(1);
      Page c = pages.get(2);
      a.js("H.open(arguments[0], {signaling: [arguments[1], arguments[2]]}, 120)", room, signaling(), other);
      b.js("H.open(arguments[0], {signaling: [arguments[1]]}, 121)", room, signaling());
      c.js("H.open(arguments[0], {signaling: [arguments[1]]}, 122)", room, other);
      awaitPaths(a, "webrtc:true,webrtc:true", 20);
      awaitPaths(b, "webrtc:true", 20);
      awaitPaths(c, "webrtc:true", 20);
      editAll(pages, 100, seed);
      awaitConverged(pages, 20);
      assertConverged(pages);
    } finally {
      pages.forEach(Page::close);
      second.close();
    }
  }

  @Test
  void aProviderInAWorker_syncsOverTheRelay() throws Exception {
    try (Page p = Page.open(base, "page")) {
      long seed = seed("worker");
      String room = "worker-" + seed;
      String call = "var done = arguments[arguments.length - 1];"
          + "if (!window.w) { window.w = new Worker('/selftest/provider-worker.js'); }"
          + "w.onmessage = function (e) { done(e.data[0] === 'ok' ? e.data[1] : 'error: ' + e.data[1]); };"
          + "w.postMessage(arguments[0]);";
      assertEquals("wasm:false", p.jsAsync(call, List.of("open", room, signaling(), 130)));
      connect(p, room, "{signaling: [S], tabs: false}", 131);
      awaitPaths(p, "relay:true", 20);
      p.jsAsync(call, List.of("edit", "W", 100, seed));
      p.js("H.edit('P', 100, arguments[0])", seed + 1);
      Page.await(20, () -> p.state().equals(p.jsAsync(call, List.of("state"))),
          () -> "worker " + p.jsAsync(call, List.of("paths")) + " " + p.jsAsync(call, List.of("state")) + "\npage " + p.state());
    }
  }

  @Test
  void garbage_fromTabsAndTheRelay_isCountedAndDropped_andTheDocIsUnchanged() throws Exception {
    List<Page> pages = browsers(2);
    Page a = pages.get(0);
    try {
      long seed = seed("garbage");
      String room = "garbage-" + seed;
      connect(a, room, "{signaling: [S], webrtc: false}", 70);
      a.js("H.edit('A', 50, arguments[0])", seed);
      String before = a.state();
      // another "tab" and a raw signaling client send nonsense
      Object sent = a.jsAsync("var done = arguments[arguments.length - 1], room = arguments[0];"
          + "var bc = new BroadcastChannel('mycelium-sync:' + room);"
          + "bc.postMessage('text'); bc.postMessage(new Uint8Array([2, 3, 1, 1]));"
          + "bc.postMessage(new Uint8Array([0, 200, 200, 200, 200, 200, 1]));"
          + "bc.postMessage(new Uint8Array([0, 1, 120, 0]));"  // a hello from pid "x"
          + "bc.postMessage(new Uint8Array([2, 1, 120, 16].concat(Array.from(new TextEncoder().encode(H.provider.id))).concat([0, 9, 9, 9])));"
          + "bc.postMessage(new Uint8Array([2, 1, 120, 16].concat(Array.from(new TextEncoder().encode(H.provider.id))).concat([0, 1, 255, 255, 255, 255, 15])));"
          + "var ws = new WebSocket(arguments[1]); ws.binaryType = 'arraybuffer';"
          + "ws.onmessage = function (e) { var m = typeof e.data === 'string' ? JSON.parse(e.data) : null;"
          + "  if (m && m.type === 'welcome') ws.send(JSON.stringify({type: 'join', room: room}));"
          + "  if (m && m.type === 'joined') {"
          + "    ws.send(JSON.stringify({type: 'signal', room: room, data: {t: 'hello', pid: 'evil', webrtc: false}}));"
          + "    ws.send(JSON.stringify({type: 'signal', room: room, data: 'x'}));"
          + "    ws.send(JSON.stringify({type: 'signal', room: room, data: {t: 'sdp', pid: 'evil', v: {type: 'offer', sdp: 5}}}));"
          + "    ws.send(JSON.stringify({type: 'signal', room: room, data: {t: 'ice', pid: 'evil', v: null}}));"
          + "    ws.send(JSON.stringify({type: 'signal', room: room, data: {t: 'zzz', pid: 'evil'}}));"
          + "    setTimeout(function () {"
          + "      var head = [1, room.length].concat(Array.from(new TextEncoder().encode(room))).concat([0]);"
          + "      ws.send(new Uint8Array(head.concat([0, 2, 200, 200, 200])));"       // update with a bad payload
          + "      ws.send(new Uint8Array(head.concat([1, 255, 255, 255, 255, 7])));"  // a first chunk of 2 GB
          + "      ws.send(new Uint8Array(head.concat([2, 1, 2, 3])));"                // a continuation without a start
          + "      ws.send(new Uint8Array([1, 250]));"                                 // a truncated header
          + "      setTimeout(function () { done(ws.readyState); }, 300);"
          + "    }, 300);"
          + "  }"
          + "};", room, signaling());
      System.out.println("garbage sender socket state " + sent);
      Page.await(10, () -> ((Number) a.js("return H.provider.malformed")).intValue() >= 8,
          () -> "malformed " + a.js("return H.provider.malformed") + ", peers " + a.js("return JSON.stringify(H.peers())"));
      assertEquals(before, a.state(), "garbage changed the doc");
      // and the provider still syncs an honest peer
      Page b = pages.get(1);
      connect(b, room, "{signaling: [S], webrtc: false}", 71);
      Page.await(20, () -> b.state().equals(a.state()), () -> "b " + b.paths());
      assertConverged(pages);
    } finally {
      pages.forEach(Page::close);
    }
  }

  @Test
  void relay_htmlUnitOnTheJsBuild_andChromium_converge() throws Exception {
    long seed = seed("htmlUnit");
    String room = "htmlunit-" + seed;
    try (WebClient client = new WebClient(BrowserVersion.CHROME); Page c = Page.open(base, "chromium")) {
      HtmlPage h = client.getPage(base + "/selftest/provider.html?engine=js");
      Page.await(60, () -> "true".equals(h.getBody().getAttribute("data-ready")), () -> "HtmlUnit did not load the JS build");
      assertEquals("js", run(h, "MyceliumSync.engine"));
      assertEquals(false, run(h, "H.open('" + room + "', {signaling: ['" + signaling() + "']}, 80); H.provider.webrtc"));
      connect(c, room, "{signaling: [S]}", 81);
      Page.await(60, () -> "relay:true".equals(run(h, "H.paths()")), () -> "HtmlUnit peers: " + run(h, "H.paths()"));
      awaitPaths(c, "relay:true", 20);
      run(h, "H.edit('H', 60, " + seed + ")");
      c.js("H.edit('C', 60, arguments[0])", seed + 1);
      Page.await(60, () -> c.state().equals(run(h, "H.state()")),
          () -> "HtmlUnit " + run(h, "H.state()") + "\nChromium " + c.state());
      assertTrue(c.state().length() > 100);
      run(h, "H.destroy()");
    }
  }

  static Object run(HtmlPage page, String script) {
    return page.executeJavaScript(script).getJavaScriptResult();
  }

  @Test
  void signalingLoss_relayPeersReconnectWithBackoff_andConverge() throws Exception {
    try (Mesh m = mesh(2, "reconnect", "{signaling: [S], webrtc: false}", "relay", 90, null)) {
      List<Page> pages = m.pages();
      int port = server.port();
      server.close();
      for (Page p : pages) {
        Page.await(10, () -> "".equals(p.paths()) && !"connected".equals(p.js("return H.provider.status")),
            () -> p.name + " still " + p.paths() + " " + p.js("return H.provider.status"));
      }
      editAll(pages, 100, m.seed()); // offline edits
      server = DevServer.start(new DevServer.Options("127.0.0.1", port, TestServer.ROOT));
      for (Page p : pages) {
        awaitPaths(p, "relay:true", 30);
      }
      awaitConverged(pages, 20);
      assertConverged(pages);
      String events = (String) pages.get(0).js("return JSON.stringify(H.events.filter(function (e) { return e[0] === 'status'; }))");
      assertTrue(events.matches(".*\"connected\".*\"(connecting|disconnected)\".*\"connected\".*"), events);
    }
  }

  @Test
  void signalingLoss_openDataChannelsKeepSyncing() throws Exception {
    try (Mesh m = mesh(2, "channelsStay", "{signaling: [S]}", "webrtc", 95, null)) {
      List<Page> pages = m.pages();
      int port = server.port();
      server.close();
      for (Page p : pages) {
        Page.await(10, () -> !"connected".equals(p.js("return H.provider.status")), () -> p.name + " still connected");
      }
      editAll(pages, 100, m.seed());
      awaitConverged(pages, 20);
      assertConverged(pages);
      assertEquals("webrtc:true", pages.get(0).paths());
      server = DevServer.start(new DevServer.Options("127.0.0.1", port, TestServer.ROOT));
      for (Page p : pages) {
        Page.await(30, () -> "connected".equals(p.js("return H.provider.status")), () -> p.name + " did not reconnect");
      }
      assertEquals("webrtc:true", pages.get(1).paths(), "the reconnect must not duplicate or drop the peer");
    }
  }

  @Test
  void relay_pacedByTheServersCredit_aLargeStateArrivesWithoutBeingDropped() throws Exception {
    SignalLimits tight = SignalLimits.builder().credit(CreditPolicy.defaults().toBuilder()
        .capacity(64 * 1024).refillPerSecond(256 * 1024).build()).build();
    DevServer small = DevServer.start(new DevServer.Options("127.0.0.1", 0, TestServer.ROOT, tight));
    List<Page> pages = browsers(2);
    try {
      long seed = seed("paced");
      String room = "paced-" + seed;
      String url = "ws://127.0.0.1:" + small.port() + "/signal";
      Page a = pages.get(0);
      Page b = pages.get(1);
      a.js("H.open(arguments[0], {signaling: [arguments[1]], webrtc: false}, 100); H.fill(100000, 2000, 3);", room, url);
      b.js("H.open(arguments[0], {signaling: [arguments[1]], webrtc: false}, 101);", room, url);
      awaitPaths(b, "relay:true", 30);
      awaitConverged(pages, 30);
      assertConverged(pages);
      HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + small.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      assertTrue(metrics.body().contains("\"held\":0") && !metrics.body().matches(".*\"held\":[1-9].*"),
          "frames were dropped for lack of credit: " + metrics.body());
    } finally {
      pages.forEach(Page::close);
      small.close();
    }
  }

  @Test
  void demoPage_twoBrowsersOnOneRoom_shareTextPresenceAndPeers() throws Exception {
    ChromeDriver a = Chromium.start();
    ChromeDriver b = Chromium.start();
    try {
      String url = base + "/?room=demo-" + System.nanoTime();
      for (ChromeDriver d : List.of(a, b)) {
        d.get(url);
        Chromium.await(d, 20).until(x -> Boolean.TRUE.equals(
            ((ChromeDriver) x).executeScript("return !!(window.demo && demo.provider)")));
      }
      a.findElement(By.id("editor")).sendKeys("hello from a");
      Chromium.await(b, 20).until(x -> "hello from a".equals(x.findElement(By.id("editor")).getAttribute("value")));
      b.findElement(By.id("editor")).sendKeys(" and b");
      Chromium.await(a, 20).until(x -> "hello from a and b".equals(x.findElement(By.id("editor")).getAttribute("value")));
      Chromium.await(a, 20).until(x -> !x.findElements(By.cssSelector("#peer-rows tr[data-path=webrtc]")).isEmpty());
      Chromium.await(a, 20).until(x -> x.findElements(By.cssSelector("#people li")).size() == 2);
    } finally {
      a.quit();
      b.quit();
    }
  }
}
