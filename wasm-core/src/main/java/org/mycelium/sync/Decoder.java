package org.mycelium.sync;

/**
 * Reads the primitives that {@link Encoder} writes, trusting nothing: every read checks the
 * remaining bytes first and throws {@link MalformedUpdateException} with the offset, so that a
 * truncated or hostile input can never index out of bounds (an uncatchable trap in wasm-gc).
 */
public final class Decoder {
  private final byte[] buf;
  private final int end; // exclusive end of the readable range
  private int pos; // next byte to read
  private char[] scratch = new char[64]; // readVarString decodes into it
  private String repeated; // the last string readVarStringRepeated decoded, from buf[repeatedAt, +repeatedLen)
  private int repeatedAt;
  private int repeatedLen;

  /** Creates a decoder over the whole of {@code bytes}. */
  public Decoder(byte[] bytes) {
    if (bytes == null) {
      throw new MalformedUpdateException("no input", 0);
    }
    this.buf = bytes;
    this.end = bytes.length;
  }

  /** A decoder over {@code bytes[from, to)}, for bytes already checked (a stored value). */
  Decoder(byte[] bytes, int from, int to) {
    this.buf = bytes;
    this.pos = from;
    this.end = to;
  }

  /** The input itself, for readers that check a stretch of it in place. */
  byte[] bytes() {
    return buf;
  }

  /** The exclusive end of the readable range. */
  int end() {
    return end;
  }

  /** Moves the read position to {@code p}, a position this decoder has been at before. */
  void seek(int p) {
    pos = p;
  }

  /** Returns the offset of the next byte to read. */
  public int position() {
    return pos;
  }

  /** Returns the number of bytes not yet read. */
  public int remaining() {
    return end - pos;
  }

  /** Returns true when every byte has been read. */
  public boolean isDone() {
    return pos >= end;
  }

  /** Reads one unsigned byte. */
  public int readByte() {
    if (pos >= end) {
      throw new MalformedUpdateException("unexpected end of input", pos);
    }
    return buf[pos++] & 0xff;
  }

  /** Reads an unsigned varint that must fit in a non-negative int. */
  public int readVarUint() {
    int start = pos;
    int value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = readByte();
      if (shift == 28 && (b & 0x78) != 0) {
        throw new MalformedUpdateException("varuint does not fit in 31 bits", start);
      }
      value |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new MalformedUpdateException("varuint longer than 5 bytes", start);
  }

  /** Reads a zig-zag signed varint. */
  public int readVarInt() {
    int start = pos;
    int bits = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = readByte();
      if (shift == 28 && (b & 0x70) != 0) {
        throw new MalformedUpdateException("varint does not fit in 32 bits", start);
      }
      bits |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return (bits >>> 1) ^ -(bits & 1);
      }
    }
    throw new MalformedUpdateException("varint longer than 5 bytes", start);
  }

  /**
   * Reads a count of things that each take at least {@code minBytesEach} bytes, and rejects it
   * when the rest of the input could not hold that many, so that a length field can never make
   * the reader allocate more than the input justifies.
   */
  public int readCount(int minBytesEach, String what) {
    int start = pos;
    int n = readVarUint();
    if (minBytesEach > 0 && n > remaining() / minBytesEach) {
      throw new MalformedUpdateException(what + " count " + n + " exceeds the input", start);
    }
    return n;
  }

  /** Reads a byte array with a varuint length prefix. */
  public byte[] readVarBytes() {
    int n = readCount(1, "byte array");
    byte[] out = new byte[n];
    System.arraycopy(buf, pos, out, 0, n);
    pos += n;
    return out;
  }

  /**
   * Reads a string written by {@link Encoder#writeVarString}: a byte length, then UTF-8 in
   * which unpaired surrogates may appear in their three-byte forms. Overlong forms, stray
   * continuation bytes and truncated sequences are rejected.
   */
  public String readVarString() {
    int start = pos;
    int n = readCount(1, "string byte");
    int stop = pos + n;
    if (scratch.length < n) {
      scratch = new char[Math.max(n, 2 * scratch.length)];
    }
    char[] out = scratch; // the String copies what it needs: one array per update, not per string
    int k = 0;
    while (pos < stop) {
      int at = pos;
      int b = buf[pos++] & 0xff;
      if (b < 0x80) {
        out[k++] = (char) b;
        continue;
      }
      int extra;
      int cp;
      int min;
      if (b >= 0xc2 && b < 0xe0) {
        extra = 1;
        cp = b & 0x1f;
        min = 0x80;
      } else if (b >= 0xe0 && b < 0xf0) {
        extra = 2;
        cp = b & 0x0f;
        min = 0x800;
      } else if (b >= 0xf0 && b < 0xf5) {
        extra = 3;
        cp = b & 0x07;
        min = 0x10000;
      } else {
        throw new MalformedUpdateException("invalid UTF-8 lead byte in string starting", start);
      }
      if (extra > stop - pos) {
        throw new MalformedUpdateException("truncated UTF-8 sequence", at);
      }
      for (int i = 0; i < extra; i++) {
        int c = buf[pos++] & 0xff;
        if ((c & 0xc0) != 0x80) {
          throw new MalformedUpdateException("invalid UTF-8 continuation byte", pos - 1);
        }
        cp = (cp << 6) | (c & 0x3f);
      }
      if (cp < min || cp > 0x10ffff) {
        throw new MalformedUpdateException("overlong or out-of-range UTF-8 sequence", at);
      }
      if (cp >= 0x10000) {
        out[k++] = Character.highSurrogate(cp);
        out[k++] = Character.lowSurrogate(cp);
      } else {
        out[k++] = (char) cp;
      }
    }
    return new String(out, 0, k);
  }

  /**
   * Reads a string like {@link #readVarString}, returning the same instance as the previous
   * call when the bytes are the same: for names an update repeats in every struct.
   */
  String readVarStringRepeated() {
    int start = pos;
    int n = readCount(1, "string byte");
    String last = repeated;
    if (last != null && n == repeatedLen && sameBytes(pos, repeatedAt, n)) {
      pos += n;
      return last;
    }
    pos = start;
    String s = readVarString();
    repeated = s;
    repeatedAt = pos - n;
    repeatedLen = n;
    return s;
  }

  private boolean sameBytes(int a, int b, int n) {
    for (int i = 0; i < n; i++) {
      if (buf[a + i] != buf[b + i]) {
        return false;
      }
    }
    return true;
  }

  /** Reads eight bytes written by {@link Encoder#writeDouble}. */
  public double readDouble() {
    if (end - pos < 8) {
      throw new MalformedUpdateException("truncated number", pos);
    }
    long hi = readInt32() & 0xffffffffL;
    long lo = readInt32() & 0xffffffffL;
    return Double.longBitsToDouble((hi << 32) | lo);
  }

  private int readInt32() {
    int v = ((buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8) | (buf[pos + 3] & 0xff);
    pos += 4;
    return v;
  }
}
