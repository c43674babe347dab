package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Runs demo-site/selftest/api-assertions.js, the one assertion script of the JS API, on the
 * wasm build in Chromium, on the JS fallback in Chromium, and on the JS fallback in HtmlUnit;
 * and checks that two docs in separate pages converge when the test carries their updates.
 */
class ApiAssertionsTest {
  static DevServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String url(String path) {
    return TestServer.url(server, path);
  }

  @SuppressWarnings("unchecked")
  private static void assertSuitePassed(Map<String, Object> result, String where) {
    long failed = ((Number) result.get("failed")).longValue();
    long passed = ((Number) result.get("passed")).longValue();
    List<Object> failures = (List<Object>) result.get("failures");
    System.out.println(where + ": " + passed + " passed, " + failed + " failed");
    assertEquals(0, failed, where + " failures:\n" + String.join("\n", failures.stream().map(String::valueOf).toList()));
    assertTrue(passed > 250, where + ": only " + passed + " assertions ran");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> runInChromium(ChromeDriver driver, String engine) {
    driver.get(url("/selftest/?engine=" + engine));
    Chromium.await(driver, 60).until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-done")));
    assertEquals(engine, driver.executeScript("return MyceliumSync.engine"));
    return (Map<String, Object>) driver.executeScript("return window.apiResult");
  }

  @Test
  void assertions_passOnWasmAndJsInChromium() throws Exception {
    ChromeDriver driver = Chromium.start();
    try {
      assertSuitePassed(runInChromium(driver, "wasm"), "Chromium wasm");
      assertSuitePassed(runInChromium(driver, "js"), "Chromium js");
    } finally {
      driver.quit();
    }
  }

  @Test
  void assertions_passOnJsInHtmlUnit() throws Exception {
    try (WebClient client = new WebClient(BrowserVersion.CHROME)) {
      HtmlPage page = client.getPage(url("/selftest/?engine=js"));
      client.waitForBackgroundJavaScript(120_000);
      assertEquals("true", page.getBody().getAttribute("data-done"));
      Map<String, Object> result = Map.of(
          "passed", (Number) page.executeJavaScript("apiResult.passed").getJavaScriptResult(),
          "failed", (Number) page.executeJavaScript("apiResult.failed").getJavaScriptResult(),
          "failures", List.of(((String) page.executeJavaScript("apiResult.failures.join('\\n')").getJavaScriptResult()).split("\n")));
      assertSuitePassed(result, "HtmlUnit js");
    }
  }

  @Test
  void twoPages_convergeWhenTheTestCarriesTheirUpdates() throws Exception {
    ChromeDriver driver = Chromium.start();
    try {
      String setup = "window.outbox = []; window.doc = new MyceliumSync.Doc({clientId: arguments[0]});"
          + "doc.on('update', function (u, origin) { if (origin !== 'remote') outbox.push(Array.from(u)); });"
          + "return MyceliumSync.engine;";
      driver.get(url("/selftest/blank.html"));
      String a = driver.getWindowHandle();
      awaitReady(driver);
      assertEquals("wasm", driver.executeScript(setup, 1));
      driver.switchTo().newWindow(WindowType.TAB);
      driver.get(url("/selftest/blank.html"));
      String b = driver.getWindowHandle();
      awaitReady(driver);
      assertEquals("wasm", driver.executeScript(setup, 2));

      String edit = "var t = doc.getText('t'), m = doc.getMap('m'), l = doc.getList('l');"
          + "for (var i = 0; i < 50; i++) { t.insert(Math.floor(Math.random() * (t.length + 1)), arguments[0]);"
          + "  m.set('k' + (i % 7), arguments[0] + i); l.push([i]); if (i % 5 == 4) t.delete(0, 1); }";
      driver.switchTo().window(a);
      driver.executeScript(edit, "A");
      driver.switchTo().window(b);
      driver.executeScript(edit, "B");
      // carry each page's updates to the other, in reverse order to exercise the pending set
      String take = "var o = outbox; window.outbox = []; return o;";
      String give = "var us = arguments[0]; for (var i = us.length - 1; i >= 0; i--) doc.applyUpdate(new Uint8Array(us[i]), 'remote');"
          + "return doc.hasPending;";
      driver.switchTo().window(a);
      Object fromA = driver.executeScript(take);
      driver.switchTo().window(b);
      Object fromB = driver.executeScript(take);
      assertEquals(false, driver.executeScript(give, fromA));
      driver.switchTo().window(a);
      assertEquals(false, driver.executeScript(give, fromB));
      String state = "return JSON.stringify([doc.toJSON(), Array.from(doc.encodeStateAsUpdate())]);";
      String stateA = (String) driver.executeScript(state);
      driver.switchTo().window(b);
      String stateB = (String) driver.executeScript(state);
      assertEquals(stateA, stateB);
      assertTrue(stateA.contains("\"l\":[") && stateA.length() > 200, stateA);
    } finally {
      driver.quit();
    }
  }

  private static void awaitReady(ChromeDriver driver) {
    Chromium.await(driver, 20).until(d -> Boolean.TRUE.equals(
        ((ChromeDriver) d).executeScript("return !!(window.MyceliumSync && MyceliumSync.engine)")));
  }
}
