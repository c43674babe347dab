package org.mycelium.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Arrays and objects kept in their wire form ({@link Json.Encoded}): the in-place check must
 * accept exactly the canonical subset of what {@link Json#read} accepts, and a kept value must
 * decode to what read gives and write back byte for byte.
 */
class StoredJsonTest {
  static byte[] wire(Object v) {
    Encoder e = new Encoder();
    Json.write(e, Json.normalize(v));
    return e.toBytes();
  }

  static byte[] wireOf(Object normalized) {
    Encoder e = new Encoder();
    Json.write(e, normalized);
    return e.toBytes();
  }

  /** Checks one encoded value both ways; returns whether it was kept encoded. */
  static boolean check(byte[] bytes) {
    int end = Json.skipCanonical(bytes, 0, bytes.length, 0);
    Object eager;
    try {
      Decoder d = new Decoder(bytes);
      eager = Json.read(d, 0);
      if (!d.isDone()) {
        return false; // trailing bytes: not one value
      }
    } catch (MalformedUpdateException e) {
      assertEquals(-1, end, "the check accepted what read rejects: " + Arrays.toString(bytes));
      return false;
    }
    Object stored = Json.readStored(new Decoder(bytes));
    assertEquals(eager, Json.decoded(stored));
    if (end < 0) {
      return false;
    }
    assertEquals(bytes.length, end);
    assertArrayEquals(bytes, wireOf(eager), "kept bytes differ from what write gives the value");
    assertArrayEquals(bytes, wireOf(stored));
    return stored instanceof Json.Encoded;
  }

  static Object randomValue(Random rnd, int depth) {
    int k = rnd.nextInt(depth > 3 ? 5 : 7);
    switch (k) {
      case 0:
        return rnd.nextBoolean() ? null : rnd.nextBoolean();
      case 1:
        return (double) (rnd.nextInt() >> rnd.nextInt(32));
      case 2: {
        double[] odd = {-0.0, 0.5, -1e300, 2147483648.0, -2147483649.0, Math.PI, Double.MIN_VALUE};
        return odd[rnd.nextInt(odd.length)];
      }
      case 3:
      case 4:
        return randomString(rnd);
      case 5: {
        List<Object> l = new ArrayList<>();
        for (int i = rnd.nextInt(5); i > 0; i--) {
          l.add(randomValue(rnd, depth + 1));
        }
        return l;
      }
      default: {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = rnd.nextInt(6); i > 0; i--) {
          m.put(randomString(rnd), randomValue(rnd, depth + 1));
        }
        return m;
      }
    }
  }

  /** Short strings mixing ASCII, two- and three-byte forms, U+E000.. and supplementary characters. */
  static String randomString(Random rnd) {
    String[] parts = {"a", "b", "id", "é", "\u07ff", "\u0800", "\ud7ff", "\ue000", "\uffff", "\ud800\udc00",
        "\ud83d\ude00", "\udbff\udfff", "", "title"};
    StringBuilder sb = new StringBuilder();
    for (int i = rnd.nextInt(4); i > 0; i--) {
      sb.append(parts[rnd.nextInt(parts.length)]);
    }
    return sb.toString();
  }

  @Test
  void canonicalValues_keptEncoded_decodeAndWriteBackExactly() {
    Random rnd = new Random(7);
    int kept = 0;
    for (int i = 0; i < 20_000; i++) {
      Object v = randomValue(rnd, 0);
      byte[] b = wire(v);
      boolean compound = b[0] == Json.ARRAY || b[0] == Json.OBJECT;
      assertEquals(compound, check(b), "value " + v);
      kept += compound ? 1 : 0;
    }
    assertTrue(kept > 5_000, "too few compound values generated: " + kept);
  }

  @Test
  void keys_followUtf16Order_supplementaryBeforeUpperBmp() {
    // String.compareTo: "\ud83d\ude00" (a high surrogate first) < "\ue000" although U+1F600 > U+E000
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("\ue000", 1);
    m.put("\ud83d\ude00", 2);
    m.put("z", 3);
    byte[] b = wire(m);
    assertTrue(check(b));
    // the same entries in code point order are out of order for read, and for the check
    Encoder e = new Encoder();
    e.writeByte(Json.OBJECT);
    e.writeVarUint(2);
    e.writeVarString("\ue000");
    e.writeByte(Json.NULL);
    e.writeVarString("\ud83d\ude00");
    e.writeByte(Json.NULL);
    byte[] bad = e.toBytes();
    assertEquals(-1, Json.skipCanonical(bad, 0, bad.length, 0));
    assertThrows(MalformedUpdateException.class, () -> Json.read(new Decoder(bad), 0));
  }

  @Test
  void nonCanonicalForms_readEagerly_notKept() {
    // an array of one int, its count written in two bytes
    byte[] overlongCount = {Json.ARRAY, (byte) 0x81, 0x00, Json.INT, 0x02};
    // an array of one 3.0 written as a double
    Encoder e = new Encoder();
    e.writeByte(Json.ARRAY);
    e.writeVarUint(1);
    e.writeByte(Json.DOUBLE);
    e.writeDouble(3.0);
    byte[] intAsDouble = e.toBytes();
    // an array of one string: U+1F600 as two three-byte surrogates (CESU-8)
    byte[] cesu = {Json.ARRAY, 1, Json.STRING, 6, (byte) 0xed, (byte) 0xa0, (byte) 0xbd, (byte) 0xed, (byte) 0xb8, (byte) 0x80};
    // an overlong int value
    byte[] overlongInt = {Json.ARRAY, 1, Json.INT, (byte) 0x82, 0x00};
    for (byte[] b : List.of(overlongCount, intAsDouble, cesu, overlongInt)) {
      assertEquals(-1, Json.skipCanonical(b, 0, b.length, 0), Arrays.toString(b));
      Object v = Json.readStored(new Decoder(b));
      assertFalse(v instanceof Json.Encoded);
      assertEquals(Json.read(new Decoder(b), 0), v);
    }
  }

  @Test
  void mutatedValues_checkNeverAcceptsWhatReadRejects() {
    Random rnd = new Random(11);
    for (int i = 0; i < 30_000; i++) {
      byte[] b = wire(randomValue(rnd, 0));
      byte[] m = b.clone();
      for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
        int at = rnd.nextInt(m.length);
        switch (rnd.nextInt(3)) {
          case 0 -> m[at] = (byte) rnd.nextInt(256);
          case 1 -> m[at] ^= (byte) (1 << rnd.nextInt(8));
          default -> m = Arrays.copyOf(m, at);
        }
        if (m.length == 0) {
          break;
        }
      }
      if (m.length > 0) {
        check(m);
      }
    }
  }

  @Test
  void loadedRecords_readAsValues_encodeAsBefore_andKeepFewBytes() {
    Doc a = new Doc(1);
    ListType l = a.getList("records");
    MapType byId = a.getMap("byId");
    a.transact(() -> {
      for (int i = 0; i < 1000; i++) {
        l.push(Map.of("id", i, "title", "record " + i, "tags", List.of("x", i)));
        byId.set("r" + i, Map.of("n", i));
      }
    }, null);
    byte[] state = a.encodeStateAsUpdate(null);
    Doc b = new Doc(2);
    b.applyUpdate(state, null);
    assertArrayEquals(state, b.encodeStateAsUpdate(null));
    assertEquals(a.getList("records").toJSON(), b.getList("records").toJSON());
    assertEquals(Map.of("n", 7.0), b.getMap("byId").get("r7"));
    Object r = b.getList("records").get(5);
    assertInstanceOf(Map.class, r);
    assertEquals("record 5", ((Map<?, ?>) r).get("title"));
    // edits around kept values: delete some, insert between, split a run
    b.getList("records").delete(10, 5);
    b.getList("records").insert(500, Map.of("id", -1));
    Doc c = new Doc(3);
    c.applyUpdate(b.encodeStateAsUpdate(null), null);
    assertEquals(b.getList("records").toJSON(), c.getList("records").toJSON());
    assertEquals(996, c.getList("records").length());
  }
}
