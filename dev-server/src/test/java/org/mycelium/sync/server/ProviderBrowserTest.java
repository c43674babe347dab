package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MyceliumSync.WebrtcProvider between real headless Chromium browsers (each its own driver and
 * fresh profile) through the dev server's /signal on port 0.
 */
class ProviderBrowserTest {
  static StubSignal server;
  static String base;

  @BeforeAll
  static void start() {
    server = new StubSignal();
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String signaling() {
    return "ws://127.0.0.1:" + server.port() + "/signal";
  }

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

  @Test
  void twoBrowsers_editConcurrently_andConvergeOverWebrtc() throws Exception {
    List<Page> pages = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        pages.add(Page.open(base, "browser" + i));
      }
      long seed = System.nanoTime();
      System.out.println("twoBrowsers seed " + seed);
      String room = "two-" + seed;
      for (int i = 0; i < 2; i++) {
        Object r = pages.get(i).js("try { H.open(arguments[0], {signaling: [arguments[1]]}, arguments[2]); return 'ok'; } catch (e) { return e.stack; }", room, signaling(), 10 + i);
        assertEquals("ok", r);
      }
      for (Page p : pages) {
        awaitPaths(p, "webrtc:true", 20);
      }
      for (int i = 0; i < 2; i++) {
        pages.get(i).js("H.edit(arguments[0], 200, arguments[1])", "AB".substring(i, i + 1), seed + i);
      }
      awaitConverged(pages, 20);
      assertConverged(pages);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> peers = (List<Map<String, Object>>) pages.get(0).js("return H.peers()");
      assertEquals("webrtc", peers.get(0).get("path"));
      assertTrue(((Number) peers.get(0).get("messagesIn")).intValue() > 2, peers.toString());
    } finally {
      pages.forEach(Page::close);
    }
  }
}
