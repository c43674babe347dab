package org.mycelium.sync.server;

import java.io.IOException;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/** One Chromium window on demo-site/selftest/provider.html, driven through its harness {@code H}. */
final class Page implements AutoCloseable {
  final ChromeDriver driver;
  final String window;
  final String name;

  private Page(ChromeDriver driver, String name) {
    this.driver = driver;
    this.window = driver.getWindowHandle();
    this.name = name;
  }

  /** Starts a fresh headless Chromium (its own profile) on the harness page. */
  static Page open(String baseUrl, String name) throws IOException {
    ChromeDriver d = Chromium.start();
    try {
      return load(d, baseUrl, name);
    } catch (RuntimeException e) {
      d.quit();
      throw e;
    }
  }

  /** Loads the harness in the driver's current window and waits for the engine. */
  static Page load(ChromeDriver d, String baseUrl, String name) {
    d.get(baseUrl + "/selftest/provider.html");
    Chromium.await(d, 20).until(x -> "true".equals(x.findElement(By.tagName("body")).getAttribute("data-ready")));
    return new Page(d, name);
  }

  /** Runs a script in this page (switching to its window first). */
  Object js(String script, Object... args) {
    driver.switchTo().window(window);
    return driver.executeScript(script, args);
  }

  /** Runs an asynchronous script: it calls its last argument when done. */
  Object jsAsync(String script, Object... args) {
    driver.switchTo().window(window);
    return driver.executeAsyncScript(script, args);
  }

  String state() {
    return (String) js("return H.state();");
  }

  String paths() {
    return (String) js("return H.paths();");
  }

  /** Waits until {@code condition} holds, polling; fails with what {@code describe} says. */
  static void await(int seconds, Supplier<Boolean> condition, Supplier<String> describe) {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.get()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + seconds + " s: " + describe.get());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
