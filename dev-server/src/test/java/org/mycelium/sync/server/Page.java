package org.mycelium.sync.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/** One Chromium window on demo-site/selftest/provider.html, driven through its harness {@code H}. */
final class Page implements AutoCloseable {
  private static final List<Page> LIVE = new ArrayList<>(); // open pages, whose traces a timeout prints
  private static final int TRACE_LINES = 400; // last lines of each page's provider trace printed on a timeout

  final ChromeDriver driver;
  final String window;
  final String name;

  private Page(ChromeDriver driver, String name) {
    this.driver = driver;
    this.window = driver.getWindowHandle();
    this.name = name;
    synchronized (LIVE) {
      LIVE.add(this);
    }
  }

  /** Starts a fresh headless Chromium (its own profile) on the harness page. */
  static Page open(String baseUrl, String name) throws IOException {
    return open(baseUrl, name, null);
  }

  /** Starts a fresh headless Chromium on the harness page with {@code engine} ("js", "wasm" or null: the default). */
  static Page open(String baseUrl, String name, String engine) throws IOException {
    ChromeDriver d = Chromium.start();
    try {
      return load(d, baseUrl, name, engine);
    } catch (RuntimeException e) {
      d.quit();
      throw e;
    }
  }

  /** Loads the harness in the driver's current window and waits for the engine. */
  static Page load(ChromeDriver d, String baseUrl, String name) {
    return load(d, baseUrl, name, null);
  }

  /** Loads the harness with {@code engine} ("js" forces the JS fallback; null: the default) and waits for it. */
  static Page load(ChromeDriver d, String baseUrl, String name, String engine) {
    d.get(baseUrl + "/selftest/provider.html" + (engine == null ? "" : "?engine=" + engine));
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
        throw new AssertionError("timed out after " + seconds + " s: " + describe.get() + traces());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /**
   * The provider traces (the harness's H.log, filled by the provider's debug events) of every
   * page still open, so that a test that times out shows what each side saw and sent.
   */
  static String traces() {
    List<Page> pages;
    synchronized (LIVE) {
      pages = new ArrayList<>(LIVE);
    }
    StringBuilder b = new StringBuilder();
    for (Page p : pages) {
      try {
        Object log = p.js("return window.H && H.log ? H.log.slice(-arguments[0]).join('\\n') : ''", TRACE_LINES);
        if (log != null && !log.toString().isEmpty()) {
          b.append("\n--- provider trace of ").append(p.name).append(" ---\n").append(log);
        }
        for (LogEntry e : p.driver.manage().logs().get(LogType.BROWSER)) {
          b.append("\n  console of ").append(p.name).append(": ").append(e.getLevel()).append(' ').append(e.getMessage());
        }
      } catch (RuntimeException e) { // its browser was quit without closing the page
        synchronized (LIVE) {
          LIVE.remove(p);
        }
      }
    }
    return b.toString();
  }

  @Override
  public void close() {
    synchronized (LIVE) {
      LIVE.removeIf(p -> p.driver == driver);
    }
    driver.quit();
  }
}
