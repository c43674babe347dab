package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/** The demo page's engine card in a real Chromium (wasm-gc) and in HtmlUnit (the JS fallback). */
class DemoPageBrowserTest {
  static DevServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  String url() {
    return TestServer.url(server, "/");
  }

  @Test
  void chromium_loadsTheWasmEngine_andAnExportedCallAnswers() throws Exception {
    ChromeDriver driver = Chromium.start();
    try {
      driver.get(url());
      // data-ready is absent until engine-card.js sets it to "true" or "failed"
      Chromium.await(driver, 20).until(d -> {
        String ready = d.findElement(By.tagName("body")).getAttribute("data-ready");
        return ready != null && !ready.isEmpty();
      });
      assertEquals("true", driver.findElement(By.tagName("body")).getAttribute("data-ready"),
          driver.findElement(By.id("status")).getText());
      assertEquals("wasm", driver.executeScript("return MyceliumSync.engine"));
      assertEquals("7:hi", driver.executeScript(
          "var d = new MyceliumSync.Doc({clientId: 7}); d.getText('t').insert(0, 'hi'); return d.clientId + ':' + d.getText('t')"));
      assertEquals("ok: an edit reached a second replica", driver.findElement(By.id("self-check")).getText());
      Object version = driver.executeScript("return MyceliumSync.version");
      assertTrue(version instanceof String && !((String) version).isEmpty() && !((String) version).contains("__"));
      Number readyMs = (Number) driver.executeScript("return MyceliumSync.readyMs");
      System.out.println("Chromium wasm engine ready in " + readyMs + " ms");
    } finally {
      driver.quit();
    }
  }

  @Test
  void htmlUnit_loadsTheJsFallback_andGivesTheSameAnswer() throws Exception {
    try (WebClient client = new WebClient(BrowserVersion.CHROME)) {
      HtmlPage page = client.getPage(url());
      client.waitForBackgroundJavaScript(20_000);
      assertEquals("true", page.getBody().getAttribute("data-ready"), page.getElementById("status").getTextContent());
      assertEquals("js", page.executeJavaScript("MyceliumSync.engine").getJavaScriptResult());
      assertEquals("7:hi", page.executeJavaScript(
          "var d = new MyceliumSync.Doc({clientId: 7}); d.getText('t').insert(0, 'hi'); d.clientId + ':' + d.getText('t')").getJavaScriptResult());
      assertEquals("ok: an edit reached a second replica", page.getElementById("self-check").getTextContent());
      assertEquals("undefined", page.executeJavaScript("typeof exports").getJavaScriptResult(),
          "the loader must not leave a global `exports` behind");
    }
  }
}
