package org.mycelium.sync.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.mycelium.sync.server.DevServer;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The budget workloads in headless Chromium, on MYCELIUM-SYNC's wasm-gc engine, on its JS
 * fallback and on Yjs, all in one browser run: cold start (script start to first op applied),
 * the 10K-op merge, memory for 100K records (V8 heap through the DevTools protocol, where
 * wasm-gc objects live), sync throughput between two pages (BroadcastChannel, all engines) and
 * between two browsers (WebRTC, with MYCELIUM-SYNC's provider), the typing history, and the cost of
 * one insert call. Serves the pages itself (JDK HttpServer, no caching) and writes its medians
 * as {@link Results}.
 *
 * <pre>java -cp benchmarks.jar org.mycelium.sync.bench.BrowserBench [--quick] [--out FILE]
 *     [--engines wasm,js,yjs] [--root REPO]</pre>
 *
 * Needs dist/ (mvn package) and benchmarks/target/browser/yjs.bundle.js (scripts/bench-browser.sh
 * builds it with the pinned esbuild).
 */
public final class BrowserBench {
  static final String BINARY = "/usr/bin/chromium";
  static final String DRIVER = "/usr/bin/chromedriver";

  private final Path root;
  private final boolean quick;
  private final Results results = new Results();
  private final Map<String, byte[]> data = new HashMap<>();
  private HttpServer server;
  private ChromeDriver driver;
  private ChromeDriver peer; // a second browser, for WebRTC between two browsers
  private DevServer devServer; // its /signal, for WebRTC
  private String signal;
  private String base;

  BrowserBench(Path root, boolean quick) {
    this.root = root;
    this.quick = quick;
  }

  /** Runs the browser benchmarks and prints the table; exits 1 on any failure. */
  public static void main(String[] args) {
    int code = 0;
    try {
      run(args);
    } catch (Throwable e) {
      e.printStackTrace();
      code = 1;
    }
    System.exit(code); // Selenium's client threads would keep the JVM alive
  }

  static void run(String[] args) throws Exception {
    boolean quick = false;
    String profile = null;
    Path root = Path.of("").toAbsolutePath();
    Path out = null;
    List<String> engines = List.of("wasm", "js", "yjs");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--out" -> out = Path.of(args[++i]);
        case "--root" -> root = Path.of(args[++i]).toAbsolutePath();
        case "--engines" -> engines = List.of(args[++i].split(","));
        case "--profile" -> profile = args[++i];
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + " (options: --quick, --out FILE, --root REPO, --engines wasm,js,yjs, --profile typing|merge|records|load|loadList)");
      }
    }
    if (out == null) {
      out = root.resolve("benchmarks/target/results/browser.tsv");
    }
    BrowserBench b = new BrowserBench(root, quick);
    b.start();
    String version;
    if (profile != null) {
      try {
        for (String e : engines) {
          b.profile(e, profile, out.resolveSibling("chromium-" + e + "-" + profile + ".cpuprofile"));
        }
      } finally {
        b.stop();
      }
      return;
    }
    try {
      version = String.valueOf(b.driver.getCapabilities().getBrowserVersion());
      for (String e : engines) {
        b.runEngine(e);
      }
    } finally {
      b.stop();
    }
    b.results.write(out);
    System.out.println();
    System.out.println("Browser results (headless Chromium " + version + ") -> " + out);
    System.out.print(b.results.table());
  }

  // ---- the server ----

  void start() throws IOException {
    for (String f : new String[] {"dist/mycelium-sync.js", "dist/mycelium-sync.wasm", "benchmarks/target/browser/yjs.bundle.js"}) {
      if (!Files.isRegularFile(root.resolve(f))) {
        throw new IllegalStateException(root.resolve(f) + " is missing: run scripts/bench-browser.sh (it builds dist/ and the Yjs bundle)");
      }
    }
    data.put("/data/typing.bin", Workloads.typingHistory().toBytes());
    data.put("/data/merge-a.bin", Workloads.mergeEditsA().toBytes());
    data.put("/data/merge-b.bin", Workloads.mergeEditsB().toBytes());
    data.put("/data/merge-base.txt", Workloads.mergeBaseText().getBytes(StandardCharsets.UTF_8));

    // without TCP_NODELAY the JDK server's header and body writes meet Nagle's algorithm and the
    // client's delayed ACK: every response that fits one loopback segment (the 20 KB loader, the
    // 16 KB wasm runtime) waited about 40 ms, which the cold start then counted twice over
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "bench-http");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::serve);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    driver = startChromium();
    driver.manage().timeouts().scriptTimeout(Duration.ofMinutes(10));
    driver.manage().timeouts().pageLoadTimeout(Duration.ofMinutes(1));
    driver.executeCdpCommand("Network.enable", Map.of());
    driver.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", true));
  }

  void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (peer != null) {
      peer.quit();
    }
    if (devServer != null) {
      devServer.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  private void serve(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      byte[] body = null;
      String type = "application/octet-stream";
      if (path.equals("/page")) {
        String q = x.getRequestURI().getQuery();
        String engine = q != null && q.startsWith("engine=") ? q.substring(7) : "";
        if (!List.of("wasm", "js", "yjs").contains(engine)) {
          x.sendResponseHeaders(400, -1);
          return;
        }
        body = page(engine).getBytes(StandardCharsets.UTF_8);
        type = "text/html; charset=utf-8";
      } else if (data.containsKey(path)) {
        body = data.get(path);
        type = path.endsWith(".txt") ? "text/plain; charset=utf-8" : type;
      } else {
        Path file = null;
        if (path.startsWith("/dist/")) {
          file = root.resolve("dist").resolve(path.substring(6)).normalize();
          if (!file.startsWith(root.resolve("dist"))) {
            file = null;
          }
        } else if (path.startsWith("/bench/")) {
          String name = path.substring(7);
          if (!name.contains("/") && !name.contains("..")) {
            file = root.resolve("benchmarks/src/main/browser").resolve(name);
            if (!Files.isRegularFile(file)) {
              file = root.resolve("benchmarks/target/browser").resolve(name);
            }
          }
        }
        if (file != null && Files.isRegularFile(file)) {
          body = Files.readAllBytes(file);
          String n = file.getFileName().toString();
          type = n.endsWith(".wasm") ? "application/wasm" : n.endsWith(".js") || n.endsWith(".mjs")
              ? "text/javascript; charset=utf-8" : type;
        }
      }
      if (body == null) {
        x.sendResponseHeaders(404, -1);
        return;
      }
      x.getResponseHeaders().set("Content-Type", type);
      x.getResponseHeaders().set("Cache-Control", "no-store");
      x.sendResponseHeaders(200, body.length);
      try (OutputStream o = x.getResponseBody()) {
        o.write(body);
      }
    }
  }

  /**
   * The benchmark page. The inline script notes the time, then inserts the engine's script; the
   * cold start runs until a doc exists and its first op is applied. Inserting the script (rather
   * than a static tag the preload scanner fetches early) makes every engine's download count.
   */
  static String page(String engine) {
    return "<!doctype html><html><head><meta charset=\"utf-8\"><title>bench " + engine + "</title>\n"
        + "<script src=\"/bench/bench.js\"></script>\n"
        + "<script>\n"
        + "window.T0 = performance.now();\n"
        + "(function () {\n"
        + "  var engine = '" + engine + "';\n"
        + "  var s = document.createElement('script');\n"
        + "  s.src = engine === 'yjs' ? '/bench/yjs.bundle.js' : '/dist/mycelium-sync.js';\n"
        + "  if (engine !== 'yjs') s.setAttribute('data-engine', engine);\n"
        + "  window.BENCH_READY = new Promise(function (resolve, reject) {\n"
        + "    s.onerror = function () { reject(new Error('could not load ' + s.src)); };\n"
        + "    s.onload = function () {\n"
        + "      (engine === 'yjs' ? Promise.resolve() : MyceliumSync.ready).then(function () {\n"
        + "        var d = engine === 'yjs' ? new Y.Doc() : new MyceliumSync.Doc({ clientId: 1 });\n"
        + "        d.getText('t').insert(0, 'a');\n"
        + "        var cold = performance.now() - window.T0;\n"
        + "        var loaded = engine === 'yjs' ? 'yjs' : MyceliumSync.engine;\n"
        + "        if (loaded !== engine) throw new Error('asked for ' + engine + ', loaded ' + loaded);\n"
        + "        bench.engine = engine;\n"
        + "        resolve({ cold: cold, readyMs: engine === 'yjs' ? null : MyceliumSync.readyMs });\n"
        + "      }).catch(reject);\n"
        + "    };\n"
        + "  });\n"
        + "  document.head.appendChild(s);\n"
        + "})();\n"
        + "</script></head><body>MYCELIUM-SYNC browser benchmark: " + engine + "</body></html>\n";
  }

  // ---- the browser ----

  static ChromeDriver startChromium() throws IOException {
    if (!new File(BINARY).canExecute() || !new File(DRIVER).canExecute()) {
      throw new IllegalStateException("Chromium not installed: run scripts/install-deps.sh");
    }
    Path profile = Files.createTempDirectory("mycelium-bench-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-gpu", "--disable-quic",
        "--allow-loopback-in-peer-connection", "--use-fake-ui-for-media-stream",
        // a page in a background tab (the sync receiver) must not be throttled
        "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
        "--disable-backgrounding-occluded-windows",
        "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  /** Loads the page of {@code engine} (cache disabled) and returns its cold-start figures. */
  @SuppressWarnings("unchecked")
  Map<String, Object> load(String engine) {
    return load(driver, engine);
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> load(ChromeDriver d, String engine) {
    d.get(base + "/page?engine=" + engine);
    return (Map<String, Object>) js(d, "BENCH_READY");
  }

  /**
   * Evaluates a JavaScript expression in the page (a promise is awaited); {@code args} are
   * visible as {@code args[i]}. A rejection becomes an exception here.
   */
  Object js(String expression, Object... args) {
    return js(driver, expression, args);
  }

  @SuppressWarnings("unchecked")
  static Object js(ChromeDriver driver, String expression, Object... args) {
    String script = "var args = Array.prototype.slice.call(arguments, 0, arguments.length - 1);"
        + "var cb = arguments[arguments.length - 1];"
        + "Promise.resolve().then(function () { return (" + expression + "); })"
        + ".then(function (v) { cb({ ok: v === undefined ? null : v }); },"
        + " function (e) { cb({ err: String(e && e.stack || e) }); });";
    Map<String, Object> r = (Map<String, Object>) driver.executeAsyncScript(script, args);
    if (r.containsKey("err")) {
      throw new IllegalStateException("in the page: " + r.get("err"));
    }
    return r.get("ok");
  }

  /** V8 heap in use after full GCs, in MB (array-buffer backing stores included where reported). */
  double heapMb() {
    Map<String, Object> u = null;
    for (int i = 0; i < 3; i++) {
      driver.executeCdpCommand("HeapProfiler.collectGarbage", Map.of());
      u = driver.executeCdpCommand("Runtime.getHeapUsage", Map.of());
    }
    double used = ((Number) u.get("usedSize")).doubleValue();
    Object backing = u.get("backingStorageSize");
    if (backing instanceof Number n) {
      used += n.doubleValue();
    }
    return used / 1e6;
  }

  static double num(Object o) {
    return ((Number) o).doubleValue();
  }

  @SuppressWarnings("unchecked")
  static double[] nums(Object o) {
    List<Object> l = (List<Object>) o;
    double[] a = new double[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = num(l.get(i));
    }
    return a;
  }

  // ---- the workloads ----

  @SuppressWarnings("unchecked")
  void runEngine(String engine) throws IOException {
    String p = "chromium." + engine + ".";
    System.out.println("== " + engine);
    int pages = quick ? 5 : 9;
    List<Double> cold = new ArrayList<>();
    List<Double> ready = new ArrayList<>();
    List<Double> memory = new ArrayList<>();
    List<Double> build = new ArrayList<>();
    List<Double> loadRecords = new ArrayList<>();
    double recordBytes = 0;
    for (int i = 0; i < pages; i++) {
      Map<String, Object> c = load(engine);
      cold.add(num(c.get("cold")));
      if (c.get("readyMs") != null) {
        ready.add(num(c.get("readyMs")));
      }
      double before = heapMb();
      build.add(num(js("bench.buildRecords(args[0])", Workloads.RECORDS)));
      double after = heapMb();
      memory.add(after - before);
      Map<String, Object> l = (Map<String, Object>) js("bench.loadRecords()");
      loadRecords.add(num(l.get("ms")));
      recordBytes = num(l.get("bytes"));
      js("bench.release()");
    }
    results.add(p + "coldStart", "ms", arr(cold), "script start to first op applied; fresh page load, HTTP cache disabled");
    if (!ready.isEmpty()) {
      results.add(p + "ready", "ms", arr(ready), "MyceliumSync.readyMs: script start to engine ready");
    }
    results.add(p + "memory100k", "MB", arr(memory), "V8 heap after GC with 100K map records alive, minus before (CDP Runtime.getHeapUsage)");
    results.add(p + "build100k", "ms", arr(build), "100K map.set in one transaction");
    results.add(p + "load100k", "ms", arr(loadRecords), "fresh doc applies the records' encoding (" + (long) recordBytes + " B)");
    System.out.println("   cold start, memory, records: done");

    load(engine);
    double listBytes = num(js("bench.buildListRecords(args[0])", Workloads.RECORDS));
    List<Double> loadList = new ArrayList<>();
    for (int i = 0; i < (quick ? 3 : 7); i++) {
      loadList.add(num(js("bench.loadListRecords()")));
    }
    results.add(p + "load100kList", "ms", arr(loadList), "fresh doc applies a list of 100K records {id, title, done}"
        + " pushed 1,000 a transaction (" + (long) listBytes + " B)");
    System.out.println("   list of records: done");

    load(engine);
    Map<String, Object> m = (Map<String, Object>) js("bench.merge(args[0], args[1])", 5, quick ? 10 : 20);
    results.add(p + "merge10k", "ms", nums(m.get("times")), "fresh doc with the base applies both 5,000-edit deltas ("
        + m.get("deltaBytes") + " B)");
    results.add(p + "insertCall", "us", nums(js("bench.insertCall(args[0], args[1])", 5, 10_000)),
        "one text.insert call appending one char, 10K calls");
    System.out.println("   merge, insert call: done");

    Map<String, Object> t = (Map<String, Object>) js("bench.typing(args[0], args[1], args[2])", 1, quick ? 3 : 5, 5);
    results.add(p + "typing.replay", "ms", nums(t.get("times")), "260K edits, one API call per edit, fresh doc");
    results.add(p + "typing.finalLength", "chars", new double[] {num(t.get("finalLength"))}, "");
    results.add(p + "typing.encoded", "KB", new double[] {num(t.get("encodedBytes")) / 1000}, (long) num(t.get("encodedBytes")) + " B");
    results.add(p + "typing.load", "ms", nums(t.get("loadTimes")), "fresh doc applies the typed document's encoding");
    double[] heap = new double[3];
    for (int i = 0; i < heap.length; i++) {
      js("bench.release()");
      double before = heapMb();
      js("bench.loadTyped()");
      heap[i] = heapMb() - before;
    }
    js("bench.release()");
    results.add(p + "typing.heapAfterLoad", "MB", heap, "V8 heap after GC with the loaded typed document alive, minus before");
    System.out.println("   typing history: done");

    String main = driver.getWindowHandle();
    driver.switchTo().newWindow(WindowType.TAB);
    String receiver = driver.getWindowHandle();
    load(engine);
    driver.switchTo().window(main);
    int runs = quick ? 3 : 5;
    double[] sync = new double[runs];
    for (int i = 0; i < runs + 1; i++) {
      String channel = "bench-" + engine + "-" + i + "-" + System.nanoTime();
      driver.switchTo().window(receiver);
      js("bench.syncReceive(args[0], args[1])", channel, Workloads.SYNC_OPS);
      driver.switchTo().window(main);
      Map<String, Object> s = (Map<String, Object>) js("bench.syncSend(args[0], args[1])", channel, Workloads.SYNC_OPS);
      if (i > 0) {
        sync[i - 1] = num(s.get("opsPerSec")); // the first run warms up
      }
    }
    driver.switchTo().window(receiver);
    driver.close();
    driver.switchTo().window(main);
    results.add(p + "sync", "ops/s", sync, "two pages, one update per edit carried by a BroadcastChannel (not WebRTC), 10K typing edits per run");
    System.out.println("   sync (BroadcastChannel): done");
    if (!engine.equals("yjs")) {
      runWebrtc(engine, p);
    }
  }

  /**
   * Sync throughput between two browsers over WebRTC data channels with the WebrtcProvider:
   * 10K typing edits per run, in one task (the provider sends them as one message) and one
   * edit per task (one message each). Skipped, so reported as not measured, when the build has
   * no provider or no WebRTC path opens.
   */
  void runWebrtc(String engine, String p) throws IOException {
    if (!Boolean.TRUE.equals(js("typeof MyceliumSync.WebrtcProvider === 'function'"))) {
      System.out.println("   sync (WebRTC): skipped, this build has no MyceliumSync.WebrtcProvider");
      return;
    }
    if (devServer == null) {
      devServer = DevServer.start(new DevServer.Options("127.0.0.1", 0, root));
      signal = "ws://127.0.0.1:" + devServer.port() + "/signal";
      peer = startChromium();
      peer.manage().timeouts().scriptTimeout(Duration.ofMinutes(10));
    }
    load(peer, engine);
    String room = "bench-" + engine + "-" + System.nanoTime();
    js(peer, "bench.rtcOpen(args[0], args[1], 2)", room, signal);
    js("bench.rtcOpen(args[0], args[1], 1)", room, signal);
    long deadline = System.nanoTime() + 40_000_000_000L;
    String path = "webrtc";
    while (!("webrtc:true".equals(js("bench.rtcPaths()")) && "webrtc:true".equals(js(peer, "bench.rtcPaths()")))) {
      if (System.nanoTime() > deadline) {
        if ("relay:true".equals(js("bench.rtcPaths()")) && "relay:true".equals(js(peer, "bench.rtcPaths()"))) {
          // no data channel opened: measure the path the provider fell back to, under its own name
          System.out.println("   sync (WebRTC): no data channel opened in 40 s (provider.webrtc = "
              + js("bench.rtcWebrtcFlag()") + "); measuring the relay path instead");
          path = "relay";
          break;
        }
        System.out.println("   sync (WebRTC): skipped, no path synced in 40 s (paths: " + js("bench.rtcPaths()")
            + " / " + js(peer, "bench.rtcPaths()") + ")");
        return;
      }
      sleep(50);
    }
    int runs = quick ? 3 : 5;
    int k = 0;
    for (String mode : new String[] {"Burst", "PerTask"}) {
      double[] ops = new double[runs];
      for (int i = 0; i < runs + 1; i++) {
        k++;
        js(peer, "bench.rtcAwait(args[0])", k);
        @SuppressWarnings("unchecked")
        Map<String, Object> sent = (Map<String, Object>) js("bench.rtcSend" + mode + "(args[0], args[1])", k, Workloads.SYNC_OPS);
        long until = System.nanoTime() + 120_000_000_000L;
        double done;
        while ((done = num(js(peer, "window.rtcDoneAt"))) == 0) {
          if (System.nanoTime() > until) {
            throw new IllegalStateException("WebRTC run " + k + " did not arrive in 120 s");
          }
          sleep(2);
        }
        if (i > 0) {
          ops[i - 1] = Workloads.SYNC_OPS * 1000.0 / (done - num(sent.get("start")));
        }
      }
      if (!js("bench.rtcText()").equals(js(peer, "bench.rtcText()"))) {
        throw new IllegalStateException("the WebRTC receiver did not converge");
      }
      boolean burst = mode.equals("Burst");
      results.add(p + "sync." + path + (burst ? "" : "PerTask"), "ops/s", ops,
          "two browsers, WebrtcProvider over " + (path.equals("webrtc") ? "a data channel" : "the dev server's relay")
          + ", 10K typing edits per run, "
          + (burst ? "all in one task (the provider sends them as one message)" : "one edit per task (one message each)"));
    }
    js("bench.rtcClose()");
    js(peer, "bench.rtcClose()");
    System.out.println("   sync (WebrtcProvider, " + path + "): done");
  }

  /**
   * Records one run of a workload with Chrome's sampling profiler (CDP Profiler, 100 us), saves
   * the .cpuprofile (open it in Chrome DevTools, Performance panel) and prints the functions
   * with the most self time.
   */
  @SuppressWarnings("unchecked")
  void profile(String engine, String workload, Path file) throws IOException {
    load(engine);
    String run = switch (workload) {
      case "typing" -> "bench.typing(0, 1, 0)";
      case "merge" -> "bench.merge(0, 200)"; // 200 merges outweigh building the two deltas once
      case "records" -> "bench.buildRecords(100000)";
      case "load" -> "bench.loadRecords()";
      case "loadList" -> "bench.loadListRecords()";
      default -> throw new IllegalArgumentException("unknown workload " + workload + " (typing, merge, records, load, loadList)");
    };
    // what a run needs first, not profiled: loadRecords consumes the built doc
    String prep = workload.equals("load") ? "bench.buildRecords(100000)"
        : workload.equals("loadList") ? "bench.buildListRecords(100000)" : "0";
    js(prep);
    js(run); // warm-up, and the edits fetched
    js("bench.release()");
    js(prep);
    driver.executeCdpCommand("Profiler.enable", Map.of());
    driver.executeCdpCommand("Profiler.setSamplingInterval", Map.of("interval", 100));
    driver.executeCdpCommand("Profiler.start", Map.of());
    Object result = js(run);
    Map<String, Object> prof = (Map<String, Object>) driver.executeCdpCommand("Profiler.stop", Map.of()).get("profile");
    driver.executeCdpCommand("Profiler.disable", Map.of());
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, new org.openqa.selenium.json.Json().toJson(prof));
    Map<String, Long> self = new HashMap<>();
    long total = 0;
    for (Map<String, Object> node : (List<Map<String, Object>>) prof.get("nodes")) {
      Map<String, Object> cf = (Map<String, Object>) node.get("callFrame");
      long hits = ((Number) node.getOrDefault("hitCount", 0)).longValue();
      String url = String.valueOf(cf.get("url"));
      String where = url.isEmpty() ? "" : " (" + url.substring(url.lastIndexOf('/') + 1) + ")";
      String name = String.valueOf(cf.get("functionName"));
      self.merge((name.isEmpty() ? "(anonymous)" : name) + where, hits, Long::sum);
      total += hits;
    }
    List<Map.Entry<String, Long>> top = new ArrayList<>(self.entrySet());
    top.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    System.out.println("== " + engine + " " + workload + " (returned " + result + "): " + total + " samples -> " + file);
    for (int i = 0; i < Math.min(25, top.size()); i++) {
      System.out.printf(java.util.Locale.ROOT, "%6.1f%%  %s%n", 100.0 * top.get(i).getValue() / total, top.get(i).getKey());
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static double[] arr(List<Double> l) {
    double[] a = new double[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i);
    }
    return a;
  }
}
