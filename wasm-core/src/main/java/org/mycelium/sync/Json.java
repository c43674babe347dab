package org.mycelium.sync;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON values as the engine keeps them: {@code null}, {@link Boolean}, {@link Double} (finite),
 * {@link String} (no unpaired surrogates), unmodifiable {@link List} and unmodifiable
 * {@link Map} with keys in ascending order. {@link #normalize} turns user input into that form;
 * {@link #write}/{@link #read} are the wire form (one tag byte, then the payload).
 */
final class Json {
  /** Deepest nesting of arrays and objects accepted, in values and on the wire. */
  static final int MAX_DEPTH = 64;

  static final int NULL = 0;
  static final int FALSE = 1;
  static final int TRUE = 2;
  static final int INT = 3;
  static final int DOUBLE = 4;
  static final int STRING = 5;
  static final int ARRAY = 6;
  static final int OBJECT = 7;

  private Json() {}

  /** Replaces unpaired surrogates with U+FFFD, as TextEncoder does; returns {@code s} when clean. */
  static String sanitize(String s) {
    int n = s.length();
    char[] out = null;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        if (out == null) {
          out = s.toCharArray();
        }
        out[i] = '\ufffd';
      }
    }
    return out == null ? s : new String(out);
  }

  /** Returns the normalised form of a user value, or throws IllegalArgumentException. */
  static Object normalize(Object v) {
    return normalize(v, 0);
  }

  private static Object normalize(Object v, int depth) {
    if (v == null || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Double || v instanceof Integer || v instanceof Long || v instanceof Float
        || v instanceof Short || v instanceof Byte) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("number must be finite");
      }
      return d;
    }
    if (v instanceof String) {
      return sanitize((String) v);
    }
    if (depth >= MAX_DEPTH) {
      throw new IllegalArgumentException("value nested deeper than 64");
    }
    if (v instanceof List) {
      List<?> in = (List<?>) v;
      Object[] out = new Object[in.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = normalize(in.get(i), depth + 1);
      }
      return list(out);
    }
    if (v instanceof Object[]) {
      Object[] in = (Object[]) v;
      Object[] out = new Object[in.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = normalize(in[i], depth + 1);
      }
      return list(out);
    }
    if (v instanceof Map) {
      Map<?, ?> in = (Map<?, ?>) v;
      String[] keys = new String[in.size()];
      Object[] vals = new Object[keys.length];
      int k = 0;
      for (Map.Entry<?, ?> e : in.entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new IllegalArgumentException("object keys must be strings");
        }
        keys[k] = sanitize((String) e.getKey());
        vals[k] = normalize(e.getValue(), depth + 1);
        k++;
      }
      return object(keys, vals);
    }
    throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
  }

  static List<Object> list(Object[] items) {
    return Collections.unmodifiableList(Arrays.asList(items));
  }

  /** Builds an unmodifiable map with keys sorted; a later duplicate key wins. */
  static Map<String, Object> object(String[] keys, Object[] vals) {
    Integer[] order = new Integer[keys.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> {
      int c = keys[a].compareTo(keys[b]);
      return c != 0 ? c : a - b;
    });
    LinkedHashMap<String, Object> m = new LinkedHashMap<>();
    for (Integer i : order) {
      m.remove(keys[i]);
      m.put(keys[i], vals[i]);
    }
    return Collections.unmodifiableMap(m);
  }

  /** Writes a normalised value: one tag byte, then the payload. */
  static void write(Encoder e, Object v) {
    if (v instanceof Encoded) {
      Encoded x = (Encoded) v;
      e.writeRaw(x.buf, x.off, x.len);
    } else if (v == null) {
      e.writeByte(NULL);
    } else if (v instanceof Boolean) {
      e.writeByte((Boolean) v ? TRUE : FALSE);
    } else if (v instanceof Double) {
      writeNumber(e, (Double) v);
    } else if (v instanceof String) {
      e.writeByte(STRING);
      e.writeVarString((String) v);
    } else if (v instanceof List) {
      List<?> l = (List<?>) v;
      e.writeByte(ARRAY);
      e.writeVarUint(l.size());
      for (Object o : l) {
        write(e, o);
      }
    } else {
      Map<?, ?> m = (Map<?, ?>) v;
      e.writeByte(OBJECT);
      e.writeVarUint(m.size());
      for (Map.Entry<?, ?> en : m.entrySet()) {
        e.writeVarString((String) en.getKey());
        write(e, en.getValue());
      }
    }
  }

  /** Writes a finite number: as a zig-zag varint when it is an int (and not -0), else 8 bytes. */
  static void writeNumber(Encoder e, double d) {
    if ((double) (int) d == d && !(d == 0 && 1 / d < 0)) {
      e.writeByte(INT);
      e.writeVarInt((int) d);
    } else {
      e.writeByte(DOUBLE);
      e.writeDouble(d);
    }
  }

  /** Reads a number written by {@link #writeNumber}, rejecting NaN and infinities. */
  static double readNumber(Decoder d) {
    int at = d.position();
    int tag = d.readByte();
    if (tag == INT) {
      return d.readVarInt();
    }
    if (tag != DOUBLE) {
      throw new MalformedUpdateException("expected a number", at);
    }
    double v = d.readDouble();
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      throw new MalformedUpdateException("number is not finite", at);
    }
    return v;
  }

  /** Reads a value, checking tags, counts, key order and depth. */
  static Object read(Decoder d, int depth) {
    int at = d.position();
    int tag = d.readByte();
    switch (tag) {
      case NULL:
        return null;
      case FALSE:
        return Boolean.FALSE;
      case TRUE:
        return Boolean.TRUE;
      case INT:
        return (double) d.readVarInt();
      case DOUBLE: {
        double v = d.readDouble();
        if (Double.isNaN(v) || Double.isInfinite(v)) {
          throw new MalformedUpdateException("number is not finite", at);
        }
        return v;
      }
      case STRING:
        return d.readVarString();
      case ARRAY: {
        checkDepth(depth, at);
        int n = d.readCount(1, "array element");
        Object[] out = new Object[n];
        for (int i = 0; i < n; i++) {
          out[i] = read(d, depth + 1);
        }
        return list(out);
      }
      case OBJECT: {
        checkDepth(depth, at);
        int n = d.readCount(2, "object entry");
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        String prev = null;
        for (int i = 0; i < n; i++) {
          int kat = d.position();
          String k = d.readVarString();
          if (prev != null && prev.compareTo(k) >= 0) {
            throw new MalformedUpdateException("object keys not strictly ascending", kat);
          }
          prev = k;
          m.put(k, read(d, depth + 1));
        }
        return Collections.unmodifiableMap(m);
      }
      default:
        throw new MalformedUpdateException("unknown value tag " + tag, at);
    }
  }

  /**
   * An array or object still in its wire form: a stretch of bytes that {@link #readStored}
   * checked in full and found canonical, decoded each time it is read. A loaded document keeps
   * its records this way (a few dozen bytes each instead of a map of boxed values), and writing
   * one back is a copy, byte for byte what {@link #write} would produce from the decoded value.
   */
  static final class Encoded {
    private byte[] buf;
    private int off;
    private final int len;

    Encoded(byte[] buf, int off, int len) {
      this.buf = buf;
      this.off = off;
      this.len = len;
    }

    Object decode() {
      return read(new Decoder(buf, off, off + len), 0);
    }

    /** Points at {@code own}, a copy of the input from offset {@code from} on. */
    void moveTo(byte[] own, int from) {
      buf = own;
      off -= from;
    }
  }

  /** Returns a stored value as the API shows it: an {@link Encoded} one decoded, the rest as is. */
  static Object decoded(Object v) {
    return v instanceof Encoded ? ((Encoded) v).decode() : v;
  }

  /**
   * Reads a value for the store: an array or object in canonical form stays {@link Encoded} (it
   * points into the decoder's input; the caller moves it to bytes of its own); anything else,
   * including a malformed value, goes through {@link #read}, which decodes it or throws.
   */
  static Object readStored(Decoder d) {
    int start = d.position();
    if (start < d.end()) {
      int tag = d.bytes()[start];
      if (tag == ARRAY || tag == OBJECT) {
        int stop = skipCanonical(d.bytes(), start, d.end(), 0);
        if (stop > 0) {
          d.seek(stop);
          return new Encoded(d.bytes(), start, stop - start);
        }
      }
    }
    return read(d, 0);
  }

  /**
   * Returns the end of the value at {@code p} when it is well formed and in the one form
   * {@link #write} gives it (shortest varints, a number as INT whenever it is an int and not
   * -0, no surrogate code points), or -1 otherwise. Allocates nothing, never reads at or past
   * {@code end}, and accepts exactly what {@link #read} accepts, minus the non-canonical.
   */
  static int skipCanonical(byte[] b, int p, int end, int depth) {
    if (p >= end) {
      return -1;
    }
    int tag = b[p++];
    switch (tag) {
      case NULL:
      case FALSE:
      case TRUE:
        return p;
      case INT:
        return varEnd(b, p, end, 0x70);
      case DOUBLE: {
        if (end - p < 8) {
          return -1;
        }
        long bits = 0;
        for (int i = 0; i < 8; i++) {
          bits = (bits << 8) | (b[p + i] & 0xff);
        }
        double v = Double.longBitsToDouble(bits);
        if (Double.isNaN(v) || Double.isInfinite(v) || ((double) (int) v == v && bits != 0x8000000000000000L)) {
          return -1;
        }
        return p + 8;
      }
      case STRING:
        return stringEnd(b, p, end);
      case ARRAY:
      case OBJECT: {
        if (depth >= MAX_DEPTH) {
          return -1;
        }
        int q = varEnd(b, p, end, 0x78);
        if (q < 0) {
          return -1;
        }
        int n = varValue(b, p, q);
        if (n > (end - q) / (tag == ARRAY ? 1 : 2)) {
          return -1;
        }
        p = q;
        int prevKey = -1;
        for (int i = 0; i < n; i++) {
          if (tag == OBJECT) {
            int k = stringEnd(b, p, end);
            if (k < 0 || (prevKey >= 0 && compareKeys(b, prevKey, p) >= 0)) {
              return -1;
            }
            prevKey = p;
            p = k;
          }
          p = skipCanonical(b, p, end, depth + 1);
          if (p < 0) {
            return -1;
          }
        }
        return p;
      }
      default:
        return -1;
    }
  }

  /**
   * Returns the end of the shortest-form varint at {@code p} that fits 31 bits (the
   * {@code top} mask on its fifth byte: 0x78 unsigned, 0x70 zig-zag), or -1.
   */
  private static int varEnd(byte[] b, int p, int end, int top) {
    for (int i = 0; i < 5 && p + i < end; i++) {
      int x = b[p + i] & 0xff;
      if (i == 4 && (x & top) != 0) {
        return -1;
      }
      if ((x & 0x80) == 0) {
        return x == 0 && i > 0 ? -1 : p + i + 1;
      }
    }
    return -1;
  }

  private static int varValue(byte[] b, int p, int q) {
    int v = 0;
    for (int i = p; i < q; i++) {
      v |= (b[i] & 0x7f) << (7 * (i - p));
    }
    return v;
  }

  /** Returns the end of a length-prefixed UTF-8 string at {@code p} without surrogates, or -1. */
  private static int stringEnd(byte[] b, int p, int end) {
    int q = varEnd(b, p, end, 0x78);
    if (q < 0) {
      return -1;
    }
    int n = varValue(b, p, q);
    if (n > end - q) {
      return -1;
    }
    int stop = q + n;
    for (int i = q; i < stop;) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int extra = c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
      if (extra < 0 || extra > stop - i - 1) {
        return -1;
      }
      int cp = c & (0x3f >> extra);
      for (int k = 1; k <= extra; k++) {
        int x = b[i + k] & 0xff;
        if ((x & 0xc0) != 0x80) {
          return -1;
        }
        cp = (cp << 6) | (x & 0x3f);
      }
      int min = extra == 1 ? 0x80 : extra == 2 ? 0x800 : 0x10000;
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) {
        return -1;
      }
      i += extra + 1;
    }
    return stop;
  }

  /**
   * Compares two strings checked by {@link #stringEnd} (no surrogate code points) in the order
   * of {@link String#compareTo}: UTF-16 code units. That is code point order except that a
   * supplementary character (a high surrogate first) sorts before U+E000..U+FFFF.
   */
  private static int compareKeys(byte[] b, int x, int y) {
    int xq = varEnd(b, x, b.length, 0x78);
    int yq = varEnd(b, y, b.length, 0x78);
    int xEnd = xq + varValue(b, x, xq);
    int yEnd = yq + varValue(b, y, yq);
    int i = xq;
    int j = yq;
    while (i < xEnd && j < yEnd) {
      int cx = codePoint(b, i);
      int cy = codePoint(b, j);
      if (cx != cy) {
        return utf16Key(cx) - utf16Key(cy);
      }
      i += utf8Len(b[i] & 0xff);
      j += utf8Len(b[j] & 0xff);
    }
    return i < xEnd ? 1 : j < yEnd ? -1 : 0;
  }

  /** Orders a code point as its first UTF-16 unit would, keeping code point order within each group. */
  private static int utf16Key(int cp) {
    return cp >= 0x10000 ? 0xd800 + (cp - 0x10000) : cp >= 0xe000 ? cp + 0x100000 : cp;
  }

  private static int utf8Len(int lead) {
    return lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
  }

  private static int codePoint(byte[] b, int i) {
    int c = b[i] & 0xff;
    int n = utf8Len(c);
    int cp = n == 1 ? c : c & (0x3f >> (n - 1));
    for (int k = 1; k < n; k++) {
      cp = (cp << 6) | (b[i + k] & 0x3f);
    }
    return cp;
  }

  private static void checkDepth(int depth, int at) {
    if (depth >= MAX_DEPTH) {
      throw new MalformedUpdateException("value nested deeper than 64", at);
    }
  }

  /** Returns a JSON copy of a list of stored values, expanding shared types. */
  static List<Object> toJsonList(List<Object> values) {
    ArrayList<Object> out = new ArrayList<>(values.size());
    for (Object v : values) {
      out.add(toJson(v));
    }
    return out;
  }

  /** Returns the JSON of a value as the API shows it (from valueAt): shared types become their JSON. */
  static Object toJson(Object v) {
    return v instanceof AbstractType ? ((AbstractType) v).json() : v;
  }
}
