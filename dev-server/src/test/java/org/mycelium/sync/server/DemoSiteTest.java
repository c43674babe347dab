package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The demo site as a newcomer uses it: two windows on one room, both typing into the shared
 * editor and editing the todo list, presence showing both. Screenshots of each window go to
 * dev-server/target/screenshots/.
 */
class DemoSiteTest {
  static DevServer server;
  static final Path SHOTS = Path.of("target", "screenshots");

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void openDemo(ChromeDriver d, String url, String name, String colour) {
    d.manage().window().setSize(new Dimension(1200, 900));
    d.get(url);
    Chromium.await(d, 30).until(x -> Boolean.TRUE.equals(
        ((ChromeDriver) x).executeScript("return !!(window.demo && demo.provider)")));
    WebElement me = d.findElement(By.id("my-name"));
    me.clear();
    me.sendKeys(name);
    d.executeScript("var c = document.getElementById('my-colour'); c.value = arguments[0];"
        + "c.dispatchEvent(new Event('input'));", colour);
  }

  private static String editor(ChromeDriver d) {
    return d.findElement(By.id("editor")).getAttribute("value");
  }

  private static List<String> todos(ChromeDriver d) {
    return d.findElements(By.cssSelector("#todo-list li")).stream()
        .map(li -> (li.getAttribute("class").contains("done") ? "[x] " : "[ ] ")
            + li.findElement(By.cssSelector("input.title")).getAttribute("value"))
        .toList();
  }

  private static void addTodo(ChromeDriver d, String title) {
    WebElement input = d.findElement(By.id("todo-input"));
    input.sendKeys(title);
    input.sendKeys(Keys.ENTER);
  }

  @Test
  void twoWindows_typeAndEditTodos_converge_andSeeEachOther() throws Exception {
    ChromeDriver a = Chromium.start();
    ChromeDriver b = Chromium.start();
    try {
      String url = TestServer.url(server, "/?room=demo-" + System.nanoTime());
      openDemo(a, url, "Ada", "#d9480f");
      openDemo(b, url, "Grace", "#1c7ed6");
      Chromium.await(a, 30).until(x -> !x.findElements(By.cssSelector("#peer-rows tr[data-path]")).isEmpty());

      // both type, interleaved, at their own places
      a.findElement(By.id("editor")).sendKeys("Hello from Ada. ");
      Chromium.await(b, 20).until(x -> editor(b).contains("Hello from Ada."));
      b.findElement(By.id("editor")).sendKeys(Keys.END, "Grace here.");
      a.findElement(By.id("editor")).sendKeys(Keys.HOME, ">> ");
      Chromium.await(a, 20).until(x -> editor(a).contains("Grace here.") && editor(a).startsWith(">> "));
      Chromium.await(b, 20).until(x -> editor(b).equals(editor(a)));
      assertEquals(">> Hello from Ada. Grace here.", editor(a));

      // todo list: add in both, tick in one, edit in the other, reorder, delete
      addTodo(a, "write the demo");
      addTodo(b, "review it");
      Chromium.await(a, 20).until(x -> todos(a).size() == 2);
      Chromium.await(b, 20).until(x -> todos(b).size() == 2);
      a.findElements(By.cssSelector("#todo-list li input[type=checkbox]")).get(0).click();
      WebElement title = b.findElements(By.cssSelector("#todo-list li input.title")).get(1);
      title.sendKeys(" twice");
      title.sendKeys(Keys.TAB);
      Chromium.await(b, 20).until(x -> todos(b).contains("[x] write the demo"));
      Chromium.await(a, 20).until(x -> todos(a).contains("[ ] review it twice"));
      a.findElements(By.cssSelector("#todo-list li button[title='move down']")).get(0).click();
      Chromium.await(b, 20).until(x -> todos(b).equals(List.of("[ ] review it twice", "[x] write the demo")));
      addTodo(b, "ship it");
      Chromium.await(a, 20).until(x -> todos(a).size() == 3);
      b.findElements(By.cssSelector("#todo-list li button[title='delete']")).get(0).click();
      Chromium.await(a, 20).until(x -> todos(a).equals(List.of("[x] write the demo", "[ ] ship it")));
      Chromium.await(b, 20).until(x -> todos(b).equals(todos(a)));

      // presence: both names in both windows, the peers panel shows the path
      for (ChromeDriver d : List.of(a, b)) {
        Chromium.await(d, 20).until(x -> {
          String people = x.findElement(By.id("people")).getText();
          return people.contains("Ada") && people.contains("Grace");
        });
      }
      String path = a.findElement(By.cssSelector("#peer-rows tr[data-path]")).getAttribute("data-path");
      assertTrue(List.of("webrtc", "relay").contains(path), path);
      // the same document state, byte for byte, in both windows
      String state = "return Array.from(demo.doc.encodeStateAsUpdate()).join(',')";
      Chromium.await(a, 20).until(x -> a.executeScript(state).equals(b.executeScript(state)));

      b.findElement(By.id("editor")).click(); // show Grace's caret in Ada's window
      Thread.sleep(300); // let the caret render before the picture (not a synchronisation)
      Files.write(SHOTS.resolve("demo-window-a.png"), a.getScreenshotAs(OutputType.BYTES));
      Files.write(SHOTS.resolve("demo-window-b.png"), b.getScreenshotAs(OutputType.BYTES));
    } finally {
      a.quit();
      b.quit();
    }
  }

  @Test
  void htmlUnit_onTheJsFallback_worksThroughTheRelay_withChromium() throws Exception {
    String room = "demo-hu-" + System.nanoTime();
    ChromeDriver chromium = Chromium.start();
    try (WebClient client = new WebClient(BrowserVersion.CHROME)) {
      String url = TestServer.url(server, "/?room=" + room);
      openDemo(chromium, url, "Chromium", "#2b8a3e");
      HtmlPage page = client.getPage(url);
      client.waitForBackgroundJavaScript(500);
      long end = System.currentTimeMillis() + 60_000;
      while (!"true".equals(String.valueOf(page.executeJavaScript("!!(window.demo && demo.provider)").getJavaScriptResult()))
          && System.currentTimeMillis() < end) {
        client.waitForBackgroundJavaScript(200);
      }
      assertEquals("js", page.executeJavaScript("MyceliumSync.engine").getJavaScriptResult());
      page.executeJavaScript("demo.doc.getText('notes').insert(0, 'from HtmlUnit ')");
      Chromium.await(chromium, 60).until(x -> editor(chromium).contains("from HtmlUnit"));
      chromium.findElement(By.id("editor")).sendKeys(Keys.END, "and Chromium");
      addTodo(chromium, "a todo from Chromium");
      end = System.currentTimeMillis() + 60_000;
      String text = "";
      while (System.currentTimeMillis() < end) {
        client.waitForBackgroundJavaScript(200);
        text = String.valueOf(page.executeJavaScript("document.getElementById('editor').value").getJavaScriptResult());
        if (text.contains("and Chromium") && page.getElementById("todo-list").getChildElementCount() == 1) {
          break;
        }
      }
      assertEquals(editor(chromium), text);
      assertEquals(1, page.getElementById("todo-list").getChildElementCount());
      assertEquals("relay", page.executeJavaScript("demo.provider.peers[0].path").getJavaScriptResult());
    } finally {
      chromium.quit();
    }
  }
}
