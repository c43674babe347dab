package org.mycelium.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins the wire format: a fixed scenario with fixed client ids must give exactly the committed
 * bytes. A difference fails; the files are rewritten only with
 * {@code -Dmycelium.regenerate.golden=true}, and a format change then also needs a new version.
 */
class GoldenTest {
  static final Path DIR = Path.of("src", "test", "resources", "golden");

  /** The scenario; returns named byte outputs. */
  static Map<String, byte[]> scenario(boolean keepDeleted) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    Doc a = new Doc(1, keepDeleted);
    Doc b = new Doc(300, keepDeleted);
    List<byte[]> aUpdates = new ArrayList<>();
    a.onUpdate((u, o) -> aUpdates.add(u));
    a.getText("notes").insert(0, "hello wörld \ud83d\ude00");
    out.put("text-insert-update", aUpdates.get(0));
    a.getText("notes").delete(0, 1);
    a.getText("notes").insert(0, "H");
    ListType todos = a.getList("todos");
    MapType first = todos.insertMap(0);
    first.set("title", "milk");
    first.set("done", false);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("z", List.of(1, -2.5, true));
    meta.put("a", null);
    first.set("meta", meta);
    todos.push("plain", 42, 1e300);
    MapType gone = todos.insertMap(2);
    gone.set("x", 1);
    gone.setText("t").insert(0, "bye");
    b.applyUpdate(a.encodeStateAsUpdate(null), null);
    b.getText("notes").insert(5, ", there");
    b.getCounter("votes").increment(3);
    a.getCounter("votes").increment(-0.5);
    a.getText("notes").insert(5, "!!");
    a.getMap("meta").set("owner", "ada");
    Text typed = a.getText("typed");
    String word = "typing, with a backspace";
    for (int i = 0; i < word.length(); i++) {
      typed.insert(typed.length(), word.substring(i, i + 1));
      if (i == 5) {
        typed.delete(typed.length() - 1, 1);
      }
    }
    typed.insert(0, ">");
    b.getMap("meta").set("owner", "bob");
    todos.delete(2, 1);
    out.put("state-vector-a", a.encodeStateVector());
    byte[] bFromA = a.encodeStateAsUpdate(b.encodeStateVector());
    out.put("delta-a-to-b", bFromA);
    b.applyUpdate(bFromA, null);
    a.applyUpdate(b.encodeStateAsUpdate(a.encodeStateVector()), null);
    out.put("full-state", a.encodeStateAsUpdate(null));
    out.put("merged-with-gap", Updates.merge(aUpdates.get(0), aUpdates.get(aUpdates.size() - 1)));
    assertArrayEquals(a.encodeStateAsUpdate(null), b.encodeStateAsUpdate(null));
    return out;
  }

  @Test
  void wireFormat_matchesGoldenFiles() throws IOException {
    check("", scenario(false));
    check("keep-deleted-", scenario(true));
  }

  private static void check(String prefix, Map<String, byte[]> got) throws IOException {
    boolean regen = Boolean.getBoolean("mycelium.regenerate.golden");
    for (Map.Entry<String, byte[]> en : got.entrySet()) {
      Path p = DIR.resolve(prefix + en.getKey() + ".bin");
      if (regen) {
        Files.createDirectories(DIR);
        Files.write(p, en.getValue());
      }
      assertTrue(Files.exists(p), "missing golden file " + p + " (-Dmycelium.regenerate.golden=true writes it)");
      byte[] want = Files.readAllBytes(p);
      if (!java.util.Arrays.equals(want, en.getValue())) {
        assertEquals(hex(want), hex(en.getValue()), "wire format changed: " + p);
      }
    }
  }

  @Test
  void goldenFullState_decodesToTheScenario() throws IOException {
    Doc d = new Doc(9);
    d.applyUpdate(Files.readAllBytes(DIR.resolve("full-state.bin")), null);
    assertEquals("Hello!!, there wörld \ud83d\ude00", d.getText("notes").toString());
    assertEquals(2.5, d.getCounter("votes").value());
    assertEquals(">typin, with a backspace", d.getText("typed").toString());
    assertEquals("bob", d.getMap("meta").get("owner"));
    assertEquals("[{done=false, meta={a=null, z=[1.0, -2.5, true]}, title=milk}, plain, 42.0, 1.0E300]",
        d.getList("todos").toJSON().toString());
  }

  @Test
  void contentTags_arePinned() {
    assertEquals(0, Item.GC);
    assertEquals(1, Item.SKIP);
    assertEquals(2, Item.DELETED);
    assertEquals(3, Item.STRING);
    assertEquals(4, Item.JSON);
    assertEquals(5, Item.TYPE);
    assertEquals(6, Item.COUNTER);
    assertEquals(7, Item.TEXT_HOLES);
    assertEquals(0, Json.NULL);
    assertEquals(1, Json.FALSE);
    assertEquals(2, Json.TRUE);
    assertEquals(3, Json.INT);
    assertEquals(4, Json.DOUBLE);
    assertEquals(5, Json.STRING);
    assertEquals(6, Json.ARRAY);
    assertEquals(7, Json.OBJECT);
    assertEquals(0x80, Ref.FLAG_ORIGIN);
    assertEquals(0x40, Ref.FLAG_RIGHT);
    assertEquals(0x20, Ref.FLAG_SUB);
    assertEquals(0x10, Ref.FLAG_ORIGIN_SELF);
    assertEquals(0x08, Ref.FLAG_RIGHT_SELF);
    assertEquals(4, Ref.PARENT_NESTED);
    assertEquals(1, UpdateData.VERSION);
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < b.length; i++) {
      sb.append(Character.forDigit((b[i] >> 4) & 15, 16)).append(Character.forDigit(b[i] & 15, 16));
      sb.append(i % 32 == 31 ? '\n' : ' ');
    }
    return sb.toString();
  }
}
