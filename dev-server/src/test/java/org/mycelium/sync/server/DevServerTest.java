package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DevServerTest {
  static DevServer server;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthz_reportsOkAndBuiltDist() throws Exception {
    HttpResponse<String> r = get("/healthz");
    assertEquals(200, r.statusCode());
    assertEquals("{\"status\":\"ok\",\"dist\":true}", r.body());
  }

  @Test
  void dist_servesWasmAndModulesWithTheirContentTypes() throws Exception {
    assertEquals("application/wasm", get("/dist/mycelium-sync.wasm").headers().firstValue("content-type").orElse(""));
    assertTrue(get("/dist/mycelium-sync.mjs").headers().firstValue("content-type").orElse("").startsWith("text/javascript"));
    assertTrue(get("/dist/mycelium-sync.js").headers().firstValue("content-type").orElse("").contains("javascript"));
  }

  @Test
  void root_servesTheDemoPage() throws Exception {
    HttpResponse<String> r = get("/");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("/dist/mycelium-sync.js"));
  }

  @Test
  void demoPages_everyLocalLinkAndScriptResolves() throws Exception {
    for (String page : new String[] {"/", "/selftest/", "/selftest/blank.html", "/examples/two-people.html"}) {
      String html = get(page).body();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:href|src)=\"([^\"#?:]+)[^\"]*\"").matcher(html);
      int links = 0;
      while (m.find()) {
        String ref = m.group(1);
        String path = URI.create("http://x" + page).resolve(ref).getPath();
        assertEquals(200, get(path).statusCode(), page + " links to " + ref);
        links++;
      }
      assertTrue(links > 0, page + " has no links or scripts");
    }
  }

  @Test
  void unknownPath_is404() throws Exception {
    assertEquals(404, get("/no-such-page").statusCode());
  }

  @Test
  void parse_defaultsAndFlags() {
    DevServer.Options d = DevServer.parse(new String[0]);
    assertEquals("127.0.0.1", d.host());
    assertEquals(7070, d.port());
    DevServer.Options o = DevServer.parse(new String[] {"--port", "0", "--host", "0.0.0.0"});
    assertEquals(0, o.port());
    assertEquals("0.0.0.0", o.host());
  }

  @Test
  void parse_keeperFlags() {
    DevServer.Options d = DevServer.parse(new String[0]);
    assertEquals("", d.keep().rooms());
    assertEquals(java.nio.file.Path.of("data"), d.keep().dataDir());
    assertEquals(DevServer.Keep.DEFAULT_COMPACT_AFTER, d.keep().compactAfter());
    DevServer.Options o = DevServer.parse(new String[] {"--keep-rooms", "notes-*,board", "--data-dir", "/tmp/x",
        "--compact-after", "20"});
    assertEquals("notes-*,board", o.keep().rooms());
    assertEquals(java.nio.file.Path.of("/tmp/x"), o.keep().dataDir());
    assertEquals(20, o.keep().compactAfter());
    assertThrows(IllegalArgumentException.class, () -> DevServer.parse(new String[] {"--compact-after", "0"}));
    assertThrows(IllegalArgumentException.class, () -> DevServer.parse(new String[] {"--compact-after", "many"}));
  }

  @Test
  void keepRule_namesPrefixesAndStar() {
    RoomKeeper.Rule r = RoomKeeper.Rule.parse("notes-*, board");
    assertEquals(true, r.allows("notes-1"));
    assertEquals(true, r.allows("notes-"));
    assertEquals(true, r.allows("board"));
    assertEquals(false, r.allows("board2"));
    assertEquals(false, r.allows("note"));
    assertEquals(true, RoomKeeper.Rule.parse("*").allows("anything"));
    assertEquals(true, RoomKeeper.Rule.parse("").isEmpty());
    assertEquals(true, RoomKeeper.Rule.parse(null).isEmpty());
  }

  @Test
  void parse_badArguments_sayWhatIsWrong() {
    assertThrows(IllegalArgumentException.class, () -> DevServer.parse(new String[] {"--port", "x"}));
    assertThrows(IllegalArgumentException.class, () -> DevServer.parse(new String[] {"--port", "70000"}));
    assertThrows(IllegalArgumentException.class, () -> DevServer.parse(new String[] {"--bogus", "1"}));
    assertThrows(IllegalArgumentException.class, () -> DevServer.parse(new String[] {"--port"}));
  }
}
