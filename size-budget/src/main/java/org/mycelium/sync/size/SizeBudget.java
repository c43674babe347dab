package org.mycelium.sync.size;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The size gate and the dist assembler. Runs wasm-opt (Binaryen, from the npm package pinned in
 * size-budget/package-lock.json) with the flags in size-budget/wasm-opt.flags over the release
 * wasm and terser (pinned the same way) over the JavaScript, gzips every shipped file at level 9,
 * prints a table, and fails when the gzipped wasm is over budget.
 *
 * <p>One file with no dependencies, so that scripts/optimize-wasm.sh can run it as a Java source
 * program ({@code java SizeBudget.java check FILE.wasm}) without a build.
 *
 * <pre>
 * SizeBudget assemble ROOT TEAVM_DIR DIST_DIR VERSION   optimise, assemble dist/, report, gate
 * SizeBudget check ROOT FILE.wasm                        optimise one file, report, gate
 * </pre>
 * Exit status 0 when the budget is met, 1 when exceeded, 2 on a usage or tool error.
 */
public final class SizeBudget {
  /** The budget for the gzipped wasm, in bytes (100 KB). */
  public static final int WASM_BUDGET = 100 * 1024;

  private SizeBudget() {
  }

  public static void main(String[] args) {
    try {
      int status;
      if (args.length == 5 && args[0].equals("assemble")) {
        status = assemble(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), args[4]) ? 0 : 1;
      } else if (args.length == 3 && args[0].equals("check")) {
        status = check(Path.of(args[1]), Path.of(args[2]), WASM_BUDGET) ? 0 : 1;
      } else {
        System.err.println("usage: SizeBudget assemble ROOT TEAVM_DIR DIST_DIR VERSION | check ROOT FILE.wasm");
        status = 2;
      }
      System.exit(status);
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      System.err.println("❌ Size budget could not be measured: " + e.getMessage());
      System.exit(2);
    }
  }

  /** One row of the report: a shipped file and its sizes (optimised is -1 when not applicable). */
  record Row(String name, long raw, long optimized, long gzip) {
  }

  /** Optimises one wasm file into a temporary file, prints its sizes, and applies the budget. */
  static boolean check(Path root, Path wasm, int budget) throws IOException {
    Path out = Files.createTempFile("mycelium-opt", ".wasm");
    try {
      wasmOpt(root, wasm, out);
      Row row = new Row(wasm.getFileName().toString(), Files.size(wasm), Files.size(out), gzipSize(Files.readAllBytes(out)));
      System.out.print(table(List.of(row), row.gzip()));
      return verdict(row.gzip(), budget);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Builds dist/ from TeaVM's output and the glue, prints the report, and applies the budget. */
  static boolean assemble(Path root, Path teavm, Path dist, String version) throws IOException {
    Files.createDirectories(dist);
    Path wasmIn = teavm.resolve("mycelium-sync.wasm");
    Path wasmOut = dist.resolve("mycelium-sync.wasm");
    wasmOpt(root, wasmIn, wasmOut);

    String glue = read(teavm.resolve("glue.js")).replace("__VERSION__", version);
    String banner = "/*! MYCELIUM-SYNC " + version + " | Apache-2.0 */\n";
    write(dist.resolve("mycelium-sync.js"), banner
        + "(function (global) {\n" + glue
        + "var s = typeof document !== 'undefined' ? document.currentScript : null;\n"
        // a worker has no currentScript: it says where dist/ is in self.MYCELIUM_SYNC_BASE
        + "var base = s && s.src ? s.src.slice(0, s.src.lastIndexOf('/') + 1) : global.MYCELIUM_SYNC_BASE || '';\n"
        + "global.MyceliumSync = createMyceliumSync(base, global, s && s.getAttribute('data-engine'));\n"
        + "})(typeof globalThis !== 'undefined' ? globalThis : self);\n");
    write(dist.resolve("mycelium-sync.mjs"), banner + glue
        + "const MyceliumSync = createMyceliumSync(new URL('.', import.meta.url).href, globalThis,\n"
        + "    new URL(import.meta.url).searchParams.get('engine'));\n"
        + "await MyceliumSync.ready;\n"
        + "export default MyceliumSync;\n"
        + "export const { ready, engine, version, Doc, Text, List, Counter, WebrtcProvider, mergeUpdates, diffUpdate,\n"
        + "  encodeStateVectorFromUpdate, applyUpdate, encodeStateAsUpdate, encodeStateVector } = MyceliumSync;\n"
        + "export const YMap = MyceliumSync.Map;\n");
    copy(teavm.resolve("mycelium-sync.wasm-runtime.js"), dist);
    copy(teavm.resolve("mycelium-sync.teavm.js"), dist);
    java.util.Map<String, Long> before = new java.util.HashMap<>();
    for (String name : new String[] {"mycelium-sync.js", "mycelium-sync.mjs", "mycelium-sync.wasm-runtime.js", "mycelium-sync.teavm.js"}) {
      before.put(name, Files.size(dist.resolve(name)));
      terser(root, dist.resolve(name), name.endsWith(".mjs"));
    }
    if (Files.exists(teavm.resolve("mycelium-sync.d.ts"))) {
      copy(teavm.resolve("mycelium-sync.d.ts"), dist);
    }
    write(dist.resolve("package.json"), packageJson(version));

    List<Row> rows = new ArrayList<>();
    long wasmGz = gzipSize(Files.readAllBytes(wasmOut));
    rows.add(new Row("mycelium-sync.wasm", Files.size(wasmIn), Files.size(wasmOut), wasmGz));
    long wasmPage = wasmGz;
    long jsPage = 0;
    for (String name : new String[] {"mycelium-sync.js", "mycelium-sync.wasm-runtime.js", "mycelium-sync.teavm.js"}) {
      byte[] bytes = Files.readAllBytes(dist.resolve(name));
      Row row = new Row(name, before.get(name), bytes.length, gzipSize(bytes));
      rows.add(row);
      if (!name.equals("mycelium-sync.teavm.js")) {
        wasmPage += row.gzip();
      }
      if (!name.equals("mycelium-sync.wasm-runtime.js")) {
        jsPage += row.gzip();
      }
    }
    System.out.print(table(rows, wasmPage));
    System.out.println("A page on the JS fallback downloads " + jsPage + " B gzip (glue + JS build).");
    return verdict(wasmGz, WASM_BUDGET);
  }

  /** Prints the verdict line and returns whether the gzipped wasm is within the budget. */
  static boolean verdict(long wasmGzip, int budget) {
    if (wasmGzip <= budget) {
      System.out.println("✅ Size budget met: wasm " + wasmGzip + " B gzip of " + budget + " B ("
          + (budget - wasmGzip) + " B to spare)");
      return true;
    }
    System.out.println("❌ Size budget exceeded: wasm " + wasmGzip + " B gzip, budget " + budget + " B ("
        + (wasmGzip - budget) + " B over)");
    return false;
  }

  static String table(List<Row> rows, long pageTotal) {
    StringBuilder sb = new StringBuilder();
    sb.append("\nMYCELIUM-SYNC size report (gzip -9)\n");
    sb.append(pad("file", -32)).append(pad("raw", 10)).append(pad("optimised", 11)).append(pad("gzip", 10)).append('\n');
    for (Row r : rows) {
      sb.append(pad(r.name(), -32)).append(pad(Long.toString(r.raw()), 10))
          .append(pad(r.optimized() < 0 ? "-" : Long.toString(r.optimized()), 11))
          .append(pad(Long.toString(r.gzip()), 10)).append('\n');
    }
    sb.append(pad("page total on wasm-gc (gzip)", -53)).append(pad(Long.toString(pageTotal), 10)).append('\n');
    return sb.toString();
  }

  private static String pad(String s, int width) {
    int w = Math.abs(width);
    if (s.length() >= w) {
      return s + " ";
    }
    String spaces = " ".repeat(w - s.length());
    return width < 0 ? s + spaces : spaces + s;
  }

  /** Returns the size of {@code bytes} after gzip at level 9. */
  static long gzipSize(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out) {
      {
        def.setLevel(Deflater.BEST_COMPRESSION);
      }
    }) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.size();
  }

  /** Minifies a JS file in place with the pinned terser (compress + mangle). */
  static void terser(Path root, Path file, boolean module) throws IOException {
    Path tool = root.resolve("size-budget/node_modules/terser/bin/terser");
    if (!Files.isRegularFile(tool)) {
      throw new IllegalStateException("terser not found at " + tool + " (run `npm ci` in size-budget/)");
    }
    // reduce_funcs=false: terser would otherwise paste single-use functions in as arrow IIFEs,
    // also into `if (c) return ...`, and HtmlUnit's Rhino rejects a `let` in such an arrow
    // ("let declaration not directly within block"); it costs about 50 bytes gzip.
    List<String> cmd = new ArrayList<>(List.of("node", tool.toString(), file.toString(), "--compress", "reduce_funcs=false", "--mangle",
        "--comments", "/^!/", "--ecma", "2017", "-o", file.toString()));
    if (module) {
      cmd.add("--module");
    }
    run(cmd, file);
  }

  private static void run(List<String> cmd, Path what) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IllegalStateException(cmd.get(0) + " failed on " + what + ":\n" + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + cmd.get(0));
    }
  }

  /** Runs the pinned wasm-opt with the flags of size-budget/wasm-opt.flags. */
  static void wasmOpt(Path root, Path in, Path out) throws IOException {
    Path tool = root.resolve("size-budget/node_modules/binaryen/bin/wasm-opt");
    if (!Files.isRegularFile(tool)) {
      throw new IllegalStateException("wasm-opt not found at " + tool + " (run `npm ci` in size-budget/)");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(tool.toString());
    for (String line : Files.readAllLines(root.resolve("size-budget/wasm-opt.flags"))) {
      if (!line.isBlank()) {
        cmd.add(line.trim());
      }
    }
    cmd.add(in.toString());
    cmd.add("-o");
    cmd.add(out.toString());
    run(cmd, in);
  }

  private static String packageJson(String version) {
    return "{\n"
        + "  \"name\": \"mycelium-sync\",\n"
        + "  \"version\": \"" + version.replace("-SNAPSHOT", "-snapshot") + "\",\n"
        + "  \"description\": \"Local-first CRDT sync for the web: text, lists, maps and counters over WebRTC, tabs and a relay.\",\n"
        + "  \"license\": \"Apache-2.0\",\n"
        + "  \"main\": \"mycelium-sync.js\",\n"
        + "  \"module\": \"mycelium-sync.mjs\",\n"
        + "  \"types\": \"mycelium-sync.d.ts\",\n"
        + "  \"exports\": {\n"
        + "    \".\": { \"types\": \"./mycelium-sync.d.ts\", \"import\": \"./mycelium-sync.mjs\", \"default\": \"./mycelium-sync.js\" }\n"
        + "  },\n"
        + "  \"files\": [\"mycelium-sync.js\", \"mycelium-sync.mjs\", \"mycelium-sync.wasm\", \"mycelium-sync.wasm-runtime.js\",\n"
        + "            \"mycelium-sync.teavm.js\", \"mycelium-sync.d.ts\"]\n"
        + "}\n";
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  private static void write(Path p, String s) throws IOException {
    Files.writeString(p, s, StandardCharsets.UTF_8);
  }

  private static void copy(Path file, Path dir) throws IOException {
    Files.copy(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
  }
}
