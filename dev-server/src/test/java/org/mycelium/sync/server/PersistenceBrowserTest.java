package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

/** MyceliumSync.IndexeddbPersistence in a real Chromium: reloads keep the doc, storage stays small. */
class PersistenceBrowserTest {
  static DevServer server;
  ChromeDriver driver;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void browser() throws Exception {
    driver = Chromium.start();
  }

  @AfterEach
  void quit() {
    driver.quit();
  }

  /** Loads the blank page, makes a doc with persistence "p", waits until stored state is in. */
  private void open() {
    driver.get(TestServer.url(server, "/selftest/blank.html"));
    Chromium.await(driver, 20).until(d -> Boolean.TRUE.equals(
        driver.executeScript("return !!(window.MyceliumSync && MyceliumSync.engine)")));
    Object ok = driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
        + "window.errors = [];"
        + "window.doc = new MyceliumSync.Doc();"
        + "window.store = new MyceliumSync.IndexeddbPersistence('p', doc);"
        + "store.on('error', function (e) { errors.push(e.kind + ' ' + e.message); });"
        + "store.whenSynced.then(function () { done(store.synced); });");
    assertEquals(true, ok);
  }

  /** Entries and bytes in the store, read straight from IndexedDB. */
  @SuppressWarnings("unchecked")
  private List<Long> storage() {
    Map<String, Object> r = (Map<String, Object>) driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
        + "var req = indexedDB.open('mycelium-sync:p');"
        + "req.onsuccess = function () { var db = req.result;"
        + "  var all = db.transaction('updates').objectStore('updates').getAll();"
        + "  all.onsuccess = function () { var n = 0; all.result.forEach(function (u) { n += u.length; });"
        + "    db.close(); done({entries: all.result.length, bytes: n}); }; };");
    return List.of(((Number) r.get("entries")).longValue(), ((Number) r.get("bytes")).longValue());
  }

  private void settle() {
    // the writes are asynchronous: wait until one more readwrite round trip has completed
    driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
        + "var req = indexedDB.open('mycelium-sync:p'); req.onsuccess = function () {"
        + "  var tx = req.result.transaction('updates', 'readwrite'); tx.oncomplete = function () { req.result.close(); done(); }; };");
  }

  @Test
  void reload_keepsTheContent() {
    open();
    driver.executeScript("doc.getText('t').insert(0, 'survives a reload 🌱'); doc.getMap('m').set('k', [1, 2]);"
        + "doc.getText('t').delete(0, 9);");
    settle();
    open();
    assertEquals("a reload 🌱", driver.executeScript("return doc.getText('t').toString()"));
    assertEquals(List.of(1L, 2L), driver.executeScript("return doc.getMap('m').get('k')"));
    assertEquals(List.of(), driver.executeScript("return errors"));
  }

  @Test
  void reloadsWithoutEdits_doNotGrowStorage() {
    open();
    driver.executeScript("for (var i = 0; i < 30; i++) doc.getText('t').insert(i, 'x');");
    settle();
    open();
    List<Long> first = storage();
    for (int i = 0; i < 20; i++) {
      open();
    }
    settle();
    assertEquals(first, storage(), "storage after 20 reloads without edits");
    assertEquals(30L, driver.executeScript("return doc.getText('t').length"));
  }

  @Test
  void manyEdits_areCompactedIntoASnapshot() {
    open();
    driver.executeScript("var t = doc.getText('t'); for (var i = 0; i < 1000; i++) t.insert(t.length, String.fromCharCode(97 + i % 26));");
    settle();
    settle();
    List<Long> s = storage();
    System.out.println("IndexedDB after 1,000 single-character edits: " + s.get(0) + " entries, " + s.get(1) + " bytes");
    assertTrue(s.get(0) < 200, "entries after compaction: " + s.get(0));
    open();
    assertEquals(1000L, driver.executeScript("return doc.getText('t').length"));
  }

  @Test
  void deletedDatabase_isReported_andTheDocKeepsWorking() {
    open();
    driver.executeScript("doc.getText('t').insert(0, 'a');");
    settle();
    driver.executeScript("indexedDB.deleteDatabase('mycelium-sync:p');");
    Chromium.await(driver, 10).until(d -> ((List<?>) driver.executeScript("return errors")).size() > 0);
    assertTrue(String.valueOf(driver.executeScript("return errors[0]")).startsWith("deleted "));
    driver.executeScript("doc.getText('t').insert(1, 'b');");
    assertEquals("ab", driver.executeScript("return doc.getText('t').toString()"));
  }

  @Test
  void clearData_removesTheStore() {
    open();
    driver.executeScript("doc.getText('t').insert(0, 'gone soon');");
    settle();
    driver.executeAsyncScript("var done = arguments[arguments.length - 1]; store.clearData().then(done, done);");
    open();
    assertEquals("", driver.executeScript("return doc.getText('t').toString()"));
  }

  @Test
  void badArguments_areTypeAndRangeErrors() {
    open();
    assertEquals("TypeError,RangeError,TypeError,RangeError", driver.executeScript(
        "var out = [];"
        + "[[1, doc], ['', doc], ['x', {}], ['x', doc, {compactAfter: 0}]].forEach(function (a) {"
        + "  try { new MyceliumSync.IndexeddbPersistence(a[0], a[1], a[2]); out.push('none'); } catch (e) { out.push(e.constructor.name); } });"
        + "return out.join(',');"));
  }

  @Test
  void offlineEdits_surviveAReload_andReachThePeerOnReconnect() throws Exception {
    String room = "offline-" + System.nanoTime();
    String signal = "ws://127.0.0.1:" + server.port() + "/signal";
    String connect = "window.net = new MyceliumSync.WebrtcProvider(arguments[0], doc, {signaling: [arguments[1]]});";
    ChromeDriver other = Chromium.start();
    try {
      other.get(TestServer.url(server, "/selftest/blank.html"));
      Chromium.await(other, 20).until(d -> Boolean.TRUE.equals(
          other.executeScript("return !!(window.MyceliumSync && MyceliumSync.engine)")));
      other.executeScript("window.doc = new MyceliumSync.Doc();" + connect, room, signal);
      open();
      driver.executeScript(connect, room, signal);
      driver.executeScript("doc.getText('t').insert(0, 'online. ');");
      Chromium.await(other, 30).until(d -> "online. ".equals(other.executeScript("return doc.getText('t').toString()")));

      // offline: no provider; the edit goes only to IndexedDB
      driver.executeScript("net.destroy(); doc.getText('t').insert(8, 'offline edit.');");
      settle();
      open(); // reload: the stored state comes back, the provider is not running yet
      assertEquals("online. offline edit.", driver.executeScript("return doc.getText('t').toString()"));
      assertEquals("online. ", other.executeScript("return doc.getText('t').toString()"));
      driver.executeScript(connect, room, signal);
      Chromium.await(other, 30).until(d -> "online. offline edit.".equals(other.executeScript("return doc.getText('t').toString()")));
      assertEquals(List.of(), driver.executeScript("return errors"));
    } finally {
      other.quit();
    }
  }

  @Test
  void twoTabsOnOneDocument_bothStore_andAReloadHasEverything() {
    open();
    String tabs = "window.net = new MyceliumSync.WebrtcProvider('tabs-p', doc, {signaling: [], webrtc: false});";
    driver.executeScript(tabs);
    String first = driver.getWindowHandle();
    driver.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
    open();
    driver.executeScript(tabs);
    String second = driver.getWindowHandle();
    // both tabs write, with compaction forced often, while the other tab's updates arrive
    for (int round = 0; round < 3; round++) {
      driver.switchTo().window(first);
      driver.executeScript("for (var i = 0; i < 150; i++) doc.getList('l').push(['a' + arguments[0] + '-' + i]);", round);
      driver.switchTo().window(second);
      driver.executeScript("for (var i = 0; i < 150; i++) doc.getList('l').push(['b' + arguments[0] + '-' + i]);", round);
    }
    Chromium.await(driver, 30).until(d -> Long.valueOf(900).equals(driver.executeScript("return doc.getList('l').length")));
    driver.switchTo().window(first);
    Chromium.await(driver, 30).until(d -> Long.valueOf(900).equals(driver.executeScript("return doc.getList('l').length")));
    String state = (String) driver.executeScript("return JSON.stringify(doc.toJSON())");
    settle();
    driver.switchTo().window(second);
    settle();
    driver.close();
    driver.switchTo().window(first);
    driver.executeScript("net.destroy();");
    open(); // reload the first tab alone: everything both tabs wrote is in the store
    assertEquals(state, driver.executeScript("return JSON.stringify(doc.toJSON())"));
    assertEquals(List.of(), driver.executeScript("return errors"));
    assertTrue(storage().get(0) < 200, "entries: " + storage().get(0));
  }
}
