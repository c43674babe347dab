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
    if (v == null) {
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

  /** Returns the JSON of a stored value: shared types become their JSON, the rest as is. */
  static Object toJson(Object v) {
    return v instanceof AbstractType ? ((AbstractType) v).json() : v;
  }
}
