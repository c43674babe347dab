package org.mycelium.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Bad input: a committed folder of malformed updates that must each be rejected without
 * changing the document, and a mutation fuzzer over valid updates. The folder is written by
 * {@link #corpus()} once; {@code -Dmycelium.regenerate.malformed=true} rewrites it.
 */
class MalformedTest {
  static final Path DIR = Path.of("src", "test", "resources", "malformed");

  /** A document with some of everything, as the target of bad updates. */
  static Doc target() {
    Doc d = new Doc(42);
    d.getText("t").insert(0, "hello");
    d.getText("t").delete(1, 2);
    d.getList("l").push(1, "two");
    d.getList("l").insertMap(1).set("k", true);
    d.getMap("m").set("a", 1);
    d.getCounter("c").increment(2);
    Doc other = new Doc(7);
    other.getText("t").insert(0, "x");
    d.applyUpdate(Updates.diff(other.encodeStateAsUpdate(null), d.encodeStateVector()), null);
    return d;
  }

  private static Encoder header(int clients) {
    Encoder e = new Encoder();
    e.writeVarUint(1);
    e.writeVarUint(clients);
    return e;
  }

  private static Encoder oneStruct(int client, int clock) {
    Encoder e = header(1);
    e.writeVarUint(client);
    e.writeVarUint(clock);
    e.writeVarUint(1);
    return e;
  }

  private static byte[] withEmptyDs(Encoder e) {
    e.writeVarUint(0);
    return e.toBytes();
  }

  private static Encoder rootText(int client, int clock) {
    Encoder e = oneStruct(client, clock);
    e.writeByte(Item.STRING);
    e.writeVarUint(AbstractType.TEXT);
    e.writeVarString("t");
    return e;
  }

  /** The named malformed updates. */
  static Map<String, byte[]> corpus() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("empty", new byte[0]);
    m.put("version-2", new byte[] {2, 0, 0});
    m.put("truncated-after-version", new byte[] {1});
    m.put("client-count-huge", new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07});
    m.put("varuint-too-long", new byte[] {1, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0});
    Encoder e = header(2);
    for (int client : new int[] {5, 3}) {
      e.writeVarUint(client);
      e.writeVarUint(0);
      e.writeVarUint(1);
      e.writeByte(Item.GC);
      e.writeVarUint(1);
    }
    m.put("clients-unsorted", withEmptyDs(e));
    e = header(1);
    e.writeVarUint(5);
    e.writeVarUint(0);
    e.writeVarUint(0);
    e.writeVarUint(0);
    e.writeVarUint(0);
    m.put("client-without-structs", withEmptyDs(e));
    e = oneStruct(5, 0);
    e.writeByte(Item.TEXT_HOLES);
    e.writeVarUint(AbstractType.TEXT);
    e.writeVarString("t");
    e.writeVarUint(1);
    e.writeVarUint(3);
    e.writeVarUint(1);
    e.writeVarString("ab");
    m.put("text-holes-gap-beyond-text", withEmptyDs(e));
    e = oneStruct(5, 0);
    e.writeByte(Item.TEXT_HOLES);
    e.writeVarUint(AbstractType.TEXT);
    e.writeVarString("t");
    e.writeVarUint(2);
    e.writeVarUint(1);
    e.writeVarUint(1);
    e.writeVarUint(0);
    e.writeVarUint(1);
    e.writeVarString("ab");
    m.put("text-holes-not-apart", withEmptyDs(e));
    e = oneStruct(5, 0);
    e.writeByte(Item.TEXT_HOLES);
    e.writeVarUint(AbstractType.TEXT);
    e.writeVarString("t");
    e.writeVarUint(1);
    e.writeVarUint(0);
    e.writeVarUint(Integer.MAX_VALUE);
    e.writeVarString("ab");
    m.put("text-holes-clock-overflow", withEmptyDs(e));
    e = oneStruct(5, 0);
    e.writeByte(Item.GC | Ref.FLAG_ORIGIN);
    e.writeVarUint(1);
    m.put("gc-with-flags", withEmptyDs(e));
    e = oneStruct(5, 0);
    e.writeByte(Item.GC);
    e.writeVarUint(0);
    m.put("gc-empty", withEmptyDs(e));
    e = oneStruct(5, 0);
    e.writeByte(Item.STRING);
    e.writeVarUint(AbstractType.TEXT);
    e.writeVarString("t");
    e.writeVarString("");
    m.put("empty-text-run", withEmptyDs(e));
    e = rootText(5, 0);
    e.writeVarUint(1000);
    e.writeRaw(new byte[] {'a', 'b', 'c'}, 0, 3);
    m.put("string-longer-than-input", e.toBytes());
    e = rootText(5, 0);
    e.writeVarUint(2);
    e.writeRaw(new byte[] {'a', (byte) 0xff}, 0, 2);
    m.put("utf8-invalid-lead", withEmptyDs(e));
    e = rootText(5, 0);
    e.writeVarUint(2);
    e.writeRaw(new byte[] {(byte) 0xc0, (byte) 0x80}, 0, 2);
    m.put("utf8-overlong", withEmptyDs(e));
    e = rootText(5, 0);
    e.writeVarUint(2);
    e.writeRaw(new byte[] {(byte) 0xe4, (byte) 0xb8}, 0, 2);
    m.put("utf8-truncated", withEmptyDs(e));
    e = oneStruct(5, 3);
    e.writeByte(Item.STRING | Ref.FLAG_ORIGIN);
    e.writeVarUint(5);
    e.writeVarUint(3);
    e.writeVarString("x");
    m.put("origin-same-client-not-earlier", withEmptyDs(e));
    e = oneStruct(5, 0);
    e.writeByte(Item.STRING | Ref.FLAG_ORIGIN | Ref.FLAG_ORIGIN_SELF);
    e.writeVarUint(0);
    e.writeVarString("x");
    m.put("self-origin-before-clock-zero", withEmptyDs(e));
    e = rootText(5, Integer.MAX_VALUE - 1);
    e.writeVarString("xy");
    m.put("clock-overflow", withEmptyDs(e));
    e = oneStruct(5, 0);
    e.writeByte(Item.STRING);
    e.writeVarUint(9);
    e.writeVarString("t");
    e.writeVarString("x");
    m.put("unknown-parent-kind", withEmptyDs(e));
    e = oneStruct(5, 0);
    e.writeByte(Item.JSON);
    e.writeVarUint(AbstractType.MAP);
    e.writeVarString("m");
    e.writeVarUint(1);
    e.writeByte(Json.NULL);
    m.put("map-root-without-key", withEmptyDs(e));
    e = oneStruct(5, 0);
    e.writeByte(Item.STRING | Ref.FLAG_SUB);
    e.writeVarUint(AbstractType.TEXT);
    e.writeVarString("t");
    e.writeVarString("key");
    e.writeVarString("x");
    m.put("text-root-with-key", withEmptyDs(e));
    e = oneStruct(5, 1);
    e.writeByte(Item.COUNTER | Ref.FLAG_ORIGIN | Ref.FLAG_ORIGIN_SELF);
    e.writeVarUint(0);
    e.writeByte(Json.INT);
    e.writeVarInt(1);
    m.put("counter-with-origin", withEmptyDs(e));
    e = oneStruct(5, 0);
    e.writeByte(Item.COUNTER);
    e.writeVarUint(AbstractType.COUNTER);
    e.writeVarString("c");
    e.writeByte(Json.DOUBLE);
    e.writeDouble(Double.NaN);
    m.put("counter-nan", withEmptyDs(e));
    e = oneStruct(5, 0);
    e.writeByte(Item.STRING);
    e.writeVarUint(AbstractType.COUNTER);
    e.writeVarString("c");
    e.writeVarString("x");
    m.put("text-in-counter-root", withEmptyDs(e));
    e = oneStruct(5, 0);
    e.writeByte(Item.JSON);
    e.writeVarUint(AbstractType.LIST);
    e.writeVarString("l");
    e.writeVarUint(1);
    e.writeByte(Json.DOUBLE);
    e.writeDouble(Double.POSITIVE_INFINITY);
    m.put("json-infinity", withEmptyDs(e));
    e = oneStruct(5, 0);
    e.writeByte(Item.JSON);
    e.writeVarUint(AbstractType.LIST);
    e.writeVarString("l");
    e.writeVarUint(1);
    for (int i = 0; i < 100; i++) {
      e.writeByte(Json.ARRAY);
      e.writeVarUint(1);
    }
    e.writeByte(Json.NULL);
    m.put("json-too-deep", withEmptyDs(e));
    e = oneStruct(5, 0);
    e.writeByte(Item.JSON);
    e.writeVarUint(AbstractType.LIST);
    e.writeVarString("l");
    e.writeVarUint(1);
    e.writeByte(Json.OBJECT);
    e.writeVarUint(2);
    e.writeVarString("b");
    e.writeByte(Json.NULL);
    e.writeVarString("a");
    e.writeByte(Json.NULL);
    m.put("json-keys-unsorted", withEmptyDs(e));
    e = oneStruct(5, 0);
    e.writeByte(Item.JSON);
    e.writeVarUint(AbstractType.LIST);
    e.writeVarString("l");
    e.writeVarUint(1);
    e.writeByte(12);
    m.put("json-unknown-tag", withEmptyDs(e));
    e = oneStruct(5, 0);
    e.writeByte(Item.JSON);
    e.writeVarUint(AbstractType.LIST);
    e.writeVarString("l");
    e.writeVarUint(1);
    e.writeByte(Json.DOUBLE);
    e.writeByte(0);
    e.writeByte(0);
    m.put("json-double-truncated", e.toBytes());
    e = oneStruct(5, 0);
    e.writeByte(Item.TYPE);
    e.writeVarUint(AbstractType.LIST);
    e.writeVarString("l");
    e.writeByte(9);
    m.put("nested-type-kind-unknown", withEmptyDs(e));
    e = oneStruct(5, 0);
    e.writeByte(Item.JSON | Ref.FLAG_ORIGIN | Ref.FLAG_SUB);
    e.writeVarUint(7);
    e.writeVarUint(0);
    e.writeVarUint(1);
    e.writeByte(Json.NULL);
    m.put("key-flag-with-origin", withEmptyDs(e));
    e = oneStruct(5, 0);
    e.writeByte(Item.STRING | Ref.FLAG_RIGHT | Ref.FLAG_SUB);
    e.writeVarString("x");
    m.put("repeated-right-origin-without-previous", withEmptyDs(e));
    e = oneStruct(5, 0);
    e.writeByte(Item.JSON | Ref.FLAG_ORIGIN_SELF);
    e.writeVarUint(AbstractType.LIST);
    e.writeVarString("l");
    e.writeVarUint(1);
    e.writeByte(Json.NULL);
    m.put("self-flag-without-origin", withEmptyDs(e));
    e = header(0);
    e.writeVarUint(2);
    e.writeVarUint(9);
    e.writeVarUint(1);
    e.writeVarUint(0);
    e.writeVarUint(1);
    e.writeVarUint(4);
    e.writeVarUint(1);
    e.writeVarUint(0);
    e.writeVarUint(1);
    m.put("ds-clients-unsorted", e.toBytes());
    e = header(0);
    e.writeVarUint(1);
    e.writeVarUint(9);
    e.writeVarUint(1);
    e.writeVarUint(3);
    e.writeVarUint(0);
    m.put("ds-empty-range", e.toBytes());
    e = header(0);
    e.writeVarUint(1);
    e.writeVarUint(9);
    e.writeVarUint(2);
    e.writeVarUint(Integer.MAX_VALUE - 1);
    e.writeVarUint(1);
    e.writeVarUint(5);
    e.writeVarUint(1);
    m.put("ds-clock-overflow", e.toBytes());
    e = header(0);
    e.writeVarUint(1);
    e.writeVarUint(9);
    e.writeVarUint(0);
    e.writeVarUint(0);
    e.writeVarUint(0);
    m.put("ds-client-without-ranges", e.toBytes());
    e = header(0);
    e.writeVarUint(0);
    e.writeByte(0);
    m.put("trailing-byte", e.toBytes());
    e = rootText(5, 0);
    e.writeVarString("valid text that must not land");
    e.writeVarUint(1);
    e.writeVarUint(5);
    e.writeVarUint(1);
    e.writeVarUint(0);
    e.writeVarUint(0);
    m.put("valid-items-then-bad-delete-set", e.toBytes());
    e = header(2);
    e.writeVarUint(5);
    e.writeVarUint(0);
    e.writeVarUint(1);
    e.writeByte(Item.STRING);
    e.writeVarUint(AbstractType.TEXT);
    e.writeVarString("t");
    e.writeVarString("valid");
    e.writeVarUint(6);
    e.writeVarUint(0);
    e.writeVarUint(1);
    e.writeByte(Item.STRING);
    e.writeVarUint(AbstractType.TEXT);
    e.writeVarString("t");
    e.writeVarUint(1);
    e.writeByte(0xff);
    m.put("valid-client-then-bad-client", withEmptyDs(e));
    e = header(0);
    m.put("missing-delete-set", e.toBytes());
    e = oneStruct(5, 0);
    e.writeByte(Item.GC);
    e.writeVarUint(1);
    e.writeVarUint(0);
    byte[] ok = e.toBytes();
    ok[4] = 100; // struct count far beyond the input
    m.put("struct-count-beyond-input", ok);
    return m;
  }

  @Test
  void corpus_filesMatchGenerator() throws IOException {
    Map<String, byte[]> want = corpus();
    if (Boolean.getBoolean("mycelium.regenerate.malformed")) {
      Files.createDirectories(DIR);
      for (Map.Entry<String, byte[]> en : want.entrySet()) {
        Files.write(DIR.resolve(en.getKey() + ".bin"), en.getValue());
      }
    }
    for (Map.Entry<String, byte[]> en : want.entrySet()) {
      Path p = DIR.resolve(en.getKey() + ".bin");
      assertTrue(Files.exists(p), "missing " + p + " (regenerate with -Dmycelium.regenerate.malformed=true)");
      assertArrayEquals(en.getValue(), Files.readAllBytes(p), p.toString());
    }
  }

  @Test
  void malformedFiles_eachThrowsAndChangesNothing() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(DIR)) {
      s.filter(p -> p.toString().endsWith(".bin")).sorted().forEach(files::add);
    }
    assertTrue(files.size() >= 30, "corpus too small: " + files.size());
    for (Path p : files) {
      byte[] bad = Files.readAllBytes(p);
      for (boolean keep : new boolean[] {false, true}) {
        Doc d = keep ? new Doc(42, true) : target();
        byte[] before = d.encodeStateAsUpdate(null);
        Object json = d.toJSON();
        MalformedUpdateException ex = assertThrows(MalformedUpdateException.class,
            () -> d.applyUpdate(bad, null), p.toString());
        assertTrue(ex.getMessage().contains(" at byte "), ex.getMessage());
        assertArrayEquals(before, d.encodeStateAsUpdate(null), p + " changed the doc");
        assertEquals(json, d.toJSON(), p + " changed the JSON");
        assertThrows(MalformedUpdateException.class, () -> Updates.merge(bad), p.toString());
        assertThrows(MalformedUpdateException.class, () -> Updates.stateVector(bad), p.toString());
      }
    }
  }

  /** Valid updates from a simulated session, to mutate. */
  static List<byte[]> samples(long seed) {
    Sim sim = new Sim(seed, 3, false);
    for (int i = 0; i < 120; i++) {
      sim.run(sim.next());
    }
    List<byte[]> out = new ArrayList<>();
    for (List<byte[]> log : sim.logs) {
      out.addAll(log);
    }
    out.add(sim.peers[0].encodeStateAsUpdate(null));
    return out;
  }

  static byte[] mutate(Random r, List<byte[]> pool) {
    byte[] a = pool.get(r.nextInt(pool.size()));
    switch (r.nextInt(4)) {
      case 0:
        return java.util.Arrays.copyOf(a, r.nextInt(a.length + 1));
      case 1: {
        byte[] b = a.clone();
        int flips = 1 + r.nextInt(3);
        for (int i = 0; i < flips && b.length > 0; i++) {
          b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
      }
      case 2: {
        byte[] b = pool.get(r.nextInt(pool.size()));
        int x = r.nextInt(a.length + 1);
        int y = r.nextInt(b.length + 1);
        byte[] out = new byte[x + b.length - y];
        System.arraycopy(a, 0, out, 0, x);
        System.arraycopy(b, y, out, x, b.length - y);
        return out;
      }
      default: {
        byte[] b = a.clone();
        if (b.length > 0) {
          b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        }
        return b;
      }
    }
  }

  @Test
  void mutatedUpdates_applyOrThrowWithoutChange() {
    long end = System.nanoTime() + ConvergenceTest.seconds() * 1_000_000_000L;
    long seed = System.nanoTime();
    int round = 0;
    do {
      long s = seed + round++;
      try {
        fuzzRound(s);
      } catch (Throwable t) {
        throw new AssertionError("mutation seed " + s, t);
      }
    } while (System.nanoTime() < end);
  }

  @Test
  void mutatedUpdates_fixedSeeds() {
    for (long s = 1; s <= 10; s++) {
      try {
        fuzzRound(s);
      } catch (Throwable t) {
        throw new AssertionError("mutation seed " + s, t);
      }
    }
  }

  static void fuzzRound(long seed) {
    Random r = new Random(seed);
    List<byte[]> pool = samples(seed);
    Doc d = target();
    List<byte[]> accepted = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      byte[] m = mutate(r, pool);
      byte[] before = d.encodeStateAsUpdate(null);
      boolean pendingBefore = d.hasPending();
      try {
        d.applyUpdate(m, null);
        accepted.add(m);
      } catch (MalformedUpdateException ex) {
        assertArrayEquals(before, d.encodeStateAsUpdate(null), "rejected update changed the doc");
        assertEquals(pendingBefore, d.hasPending());
      } catch (RuntimeException ex) {
        fail("mutation " + i + " threw " + ex, ex);
      }
    }
    // a clean replica given the same accepted bytes ends the same (mutated updates may reuse
    // ids with other content, so which arrived first matters: same order)
    Doc clean = target();
    for (byte[] m : accepted) {
      clean.applyUpdate(m, null);
    }
    assertSame(d, clean);
    assertEquals(d.hasPending(), clean.hasPending());
    // and whatever state that is, its full encoding carries every id and deletion. (Mutated
    // origins can describe placements no honest peer makes; YATA's order independence is not
    // promised for those, so the copy's order of such runs may differ: a known limit.)
    Doc copy = new Doc(43);
    copy.applyUpdate(d.encodeStateAsUpdate(null), null);
    assertArrayEquals(d.encodeStateVector(), copy.encodeStateVector());
    assertTrue(d.ds.sameAs(copy.ds));
    Doc copy2 = new Doc(44);
    copy2.applyUpdate(copy.encodeStateAsUpdate(null), null);
    assertSame(copy, copy2);
  }

  private static void assertSame(Doc a, Doc b) {
    assertEquals(a.toJSON(), b.toJSON());
    assertArrayEquals(a.encodeStateVector(), b.encodeStateVector());
    assertArrayEquals(a.encodeStateAsUpdate(null), b.encodeStateAsUpdate(null));
  }
}
