package org.mycelium.sync.size;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SizeBudgetTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path tmp;

  /** A valid wasm module whose only content is an incompressible data segment of {@code n} bytes. */
  static byte[] wasmWithData(int n, long seed) {
    byte[] data = new byte[n];
    new Random(seed).nextBytes(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
    // memory section: one memory, min pages enough for the data, exported so wasm-opt keeps it
    int pages = n / 65536 + 1;
    section(out, 5, concat(new byte[] {1, 0}, leb(pages)));
    section(out, 7, concat(new byte[] {1, 3, 'm', 'e', 'm', 2, 0}));
    // data section: one active segment at offset 0 of memory 0
    byte[] seg = concat(new byte[] {1, 0, 0x41, 0, 0x0b}, leb(n), data);
    section(out, 11, seg);
    return out.toByteArray();
  }

  private static void section(ByteArrayOutputStream out, int id, byte[] body) {
    out.write(id);
    out.writeBytes(leb(body.length));
    out.writeBytes(body);
  }

  private static byte[] leb(int v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    do {
      int b = v & 0x7f;
      v >>>= 7;
      out.write(v != 0 ? b | 0x80 : b);
    } while (v != 0);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private String captured(ThrowingRun run) throws Exception {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      run.run();
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  interface ThrowingRun {
    void run() throws Exception;
  }

  @Test
  void check_oversizedWasm_failsTheGate() throws Exception {
    Path wasm = tmp.resolve("big.wasm");
    Files.write(wasm, wasmWithData(150 * 1024, 42));
    boolean[] ok = new boolean[1];
    String out = captured(() -> ok[0] = SizeBudget.check(ROOT, wasm, SizeBudget.WASM_BUDGET));
    assertFalse(ok[0], out);
    assertTrue(out.contains("❌ Size budget exceeded: wasm "), out);
  }

  @Test
  void check_smallWasm_meetsTheGate() throws Exception {
    Path wasm = tmp.resolve("small.wasm");
    Files.write(wasm, wasmWithData(10 * 1024, 7));
    boolean[] ok = new boolean[1];
    String out = captured(() -> ok[0] = SizeBudget.check(ROOT, wasm, SizeBudget.WASM_BUDGET));
    assertTrue(ok[0], out);
    assertTrue(out.contains("✅ Size budget met"), out);
  }

  @Test
  void verdict_exactlyAtBudget_passesAndOneOverFails() throws Exception {
    assertTrue(SizeBudget.verdict(100, 100));
    assertFalse(SizeBudget.verdict(101, 100));
  }

  @Test
  void gzipSize_ofRepetitiveInput_isSmall() {
    byte[] zeros = new byte[100_000];
    long size = SizeBudget.gzipSize(zeros);
    assertTrue(size < 300, "gzip of zeros: " + size);
    assertEquals(SizeBudget.gzipSize(zeros), size);
  }
}
