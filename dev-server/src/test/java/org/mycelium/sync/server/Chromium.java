package org.mycelium.sync.server;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Starts Debian's headless Chromium through Debian's chromedriver with the switches that
 * TOOLCHAIN.md lists: a fresh profile each time, no background networking, and the two
 * switches that let WebRTC find loopback candidates on a machine whose only network is lo.
 */
final class Chromium {
  static final String BINARY = "/usr/bin/chromium";
  static final String DRIVER = "/usr/bin/chromedriver";

  private Chromium() {
  }

  /** Starts a new headless browser with a fresh profile; quit it when done. */
  static ChromeDriver start() throws IOException {
    if (!new File(BINARY).canExecute() || !new File(DRIVER).canExecute()) {
      throw new IllegalStateException("Chromium not installed: run scripts/install-deps.sh (apt-get install chromium chromium-driver)");
    }
    Path profile = Files.createTempDirectory("mycelium-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-gpu", "--disable-quic",
        "--allow-loopback-in-peer-connection", "--use-fake-ui-for-media-stream",
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL); // the console, which a test prints when it times out (Page.traces)
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  /** Waits up to {@code seconds} for a condition on the page. */
  static WebDriverWait await(ChromeDriver driver, int seconds) {
    return new WebDriverWait(driver, Duration.ofSeconds(seconds));
  }
}
