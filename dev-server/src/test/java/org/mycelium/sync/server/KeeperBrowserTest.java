package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The browser provider with {@code keep: true} against a dev server that keeps rooms, in a real
 * Chromium on the wasm build: the page edits until the keeper has stored everything ('kept'),
 * leaves, the server restarts on the same data directory, and a fresh page gets the room from
 * the keeper alone.
 */
class KeeperBrowserTest {
  @TempDir
  Path data;
  ChromeDriver driver;

  @BeforeEach
  void browser() throws Exception {
    driver = Chromium.start();
  }

  @AfterEach
  void quit() {
    driver.quit();
  }

  DevServer start() {
    return DevServer.start(new DevServer.Options("127.0.0.1", 0, TestServer.ROOT)
        .withKeep(DevServer.Keep.rooms("kept-*", data)));
  }

  /** Loads the blank page of {@code server} and starts a kept provider on room kept-b; waits until it synced with the keeper. */
  @SuppressWarnings("unchecked")
  Map<String, Object> open(DevServer server) {
    driver.get(TestServer.url(server, "/selftest/blank.html"));
    Chromium.await(driver, 20).until(d -> Boolean.TRUE.equals(
        driver.executeScript("return !!(window.MyceliumSync && MyceliumSync.engine)")));
    return (Map<String, Object>) driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
        + "window.doc = new MyceliumSync.Doc();"
        + "window.kept = [];"
        + "window.net = new MyceliumSync.WebrtcProvider('kept-b', doc, { keep: true, tabs: false });"
        + "net.on('kept', function (e) { kept.push(e); });"
        + "(function wait() { var k = net.keeper; if (k && k.synced && net.synced) done({keeper: k,"
        + "  path: net.peers[0].path, engine: MyceliumSync.engine}); else setTimeout(wait, 10); })();");
  }

  @Test
  void keptRoom_outlivesItsPeersAndAServerRestart() {
    try (DevServer server = start()) {
      Map<String, Object> r = open(server);
      assertEquals("relay", r.get("path"));
      assertEquals("wasm", r.get("engine"));
      Object keptAll = driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
          + "var t = doc.getText('t'); for (var i = 0; i < 50; i++) t.insert(t.length, 'k' + i + ' ');"
          + "doc.getMap('m').set('who', 'browser');"
          + "(function wait() { var k = net.keeper; if (k.kept && kept.length > 0) done(k.unacked); else setTimeout(wait, 10); })();");
      assertEquals(0L, keptAll);
      assertEquals(0L, driver.executeScript("return net.malformed"), "acks are not counted as malformed");
      driver.executeScript("net.destroy()");
    }
    try (DevServer server = start()) {
      open(server);
      StringBuilder want = new StringBuilder();
      for (int i = 0; i < 50; i++) {
        want.append('k').append(i).append(' ');
      }
      assertEquals(want.toString(), driver.executeScript("return doc.getText('t').toString()"));
      assertEquals("browser", driver.executeScript("return doc.getMap('m').get('who')"));
      driver.executeScript("net.destroy()");
    }
  }
}
