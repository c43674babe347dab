package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;

/** The two-person page in README.md works as printed: typing, copying, pasting converge. */
class ReadmeExampleTest {
  static DevServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void readmePage_isTheServedExample_andUnder20Lines() throws Exception {
    String readme = Files.readString(TestServer.ROOT.resolve("README.md"));
    String example = Files.readString(TestServer.ROOT.resolve("demo-site/examples/two-people.html"));
    assertTrue(readme.contains("```html\n" + example + "```"), "README's page and demo-site/examples/two-people.html differ");
    assertTrue(example.split("\n").length < 20, "the README page has " + example.split("\n").length + " lines");
  }

  @Test
  void twoPeople_typeAndExchangeUpdatesByHand() throws Exception {
    ChromeDriver driver = Chromium.start();
    try {
      // a stand-in clipboard shared through the test, so headless Chromium needs no permission
      String stub = "window.clip = ''; Object.defineProperty(navigator, 'clipboard', {value: {"
          + "writeText: function (t) { window.clip = t; return Promise.resolve(); },"
          + "readText: function () { return Promise.resolve(window.clip); }}});";
      driver.get(TestServer.url(server, "/examples/two-people.html"));
      String a = driver.getWindowHandle();
      awaitReady(driver);
      driver.executeScript(stub);
      driver.switchTo().newWindow(WindowType.TAB);
      driver.get(TestServer.url(server, "/examples/two-people.html"));
      String b = driver.getWindowHandle();
      awaitReady(driver);
      driver.executeScript(stub);

      driver.switchTo().window(a);
      driver.findElement(By.id("area")).sendKeys("hello world");
      driver.findElement(By.id("share")).click();
      String fromA = (String) driver.executeScript("return window.clip");
      driver.switchTo().window(b);
      driver.findElement(By.id("area")).sendKeys("B says: ");
      driver.executeScript("window.clip = arguments[0]", fromA);
      driver.findElement(By.id("take")).click();
      Chromium.await(driver, 5).until(d -> d.findElement(By.id("area")).getAttribute("value").contains("hello"));
      driver.findElement(By.id("share")).click();
      String fromB = (String) driver.executeScript("return window.clip");
      String textB = driver.findElement(By.id("area")).getAttribute("value");
      driver.switchTo().window(a);
      driver.executeScript("window.clip = arguments[0]", fromB);
      driver.findElement(By.id("take")).click();
      Chromium.await(driver, 5).until(d -> d.findElement(By.id("area")).getAttribute("value").contains("B says"));
      assertEquals(textB, driver.findElement(By.id("area")).getAttribute("value"));
      assertTrue(textB.equals("B says: hello world") || textB.equals("hello worldB says: "), textB);
    } finally {
      driver.quit();
    }
  }

  private static void awaitReady(ChromeDriver driver) {
    Chromium.await(driver, 20).until(d -> Boolean.TRUE.equals(
        driver.executeScript("return !!(window.MyceliumSync && MyceliumSync.engine)")));
  }
}
