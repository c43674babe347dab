package org.mycelium.sync;

/**
 * A growable byte buffer with the primitives of the wire format: unsigned and signed
 * variable-length integers (7 bits a byte, little end first), and byte arrays
 * with a length prefix. {@code write*} methods append; {@link #toBytes()} copies out.
 */
public final class Encoder {
  private byte[] buf;
  private int len; // bytes of buf in use

  /** Creates an empty encoder. */
  public Encoder() {
    buf = new byte[64];
  }

  /** Returns the number of bytes written so far. */
  public int length() {
    return len;
  }

  /** Returns a copy of the bytes written so far. */
  public byte[] toBytes() {
    byte[] out = new byte[len];
    System.arraycopy(buf, 0, out, 0, len);
    return out;
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      int cap = buf.length * 2;
      if (cap < len + extra) {
        cap = len + extra;
      }
      byte[] next = new byte[cap];
      System.arraycopy(buf, 0, next, 0, len);
      buf = next;
    }
  }

  /** Appends one byte. */
  public void writeByte(int b) {
    ensure(1);
    buf[len++] = (byte) b;
  }

  /** Appends a non-negative int as an unsigned varint (1 to 5 bytes). */
  public void writeVarUint(int value) {
    if (value < 0) {
      throw new IllegalArgumentException("negative varuint " + value);
    }
    ensure(5);
    while (value > 0x7f) {
      buf[len++] = (byte) (0x80 | (value & 0x7f));
      value >>>= 7;
    }
    buf[len++] = (byte) value;
  }

  /** Appends an int as a zig-zag signed varint. */
  public void writeVarInt(int value) {
    writeVarUintBits((value << 1) ^ (value >> 31));
  }

  private void writeVarUintBits(int bits) {
    ensure(5);
    while ((bits & ~0x7f) != 0) {
      buf[len++] = (byte) (0x80 | (bits & 0x7f));
      bits >>>= 7;
    }
    buf[len++] = (byte) bits;
  }

  /** Appends {@code n} bytes of {@code src} from {@code from}, without a length prefix. */
  public void writeRaw(byte[] src, int from, int n) {
    ensure(n);
    System.arraycopy(src, from, buf, len, n);
    len += n;
  }

  /** Appends a byte array with its length as a varuint prefix. */
  public void writeVarBytes(byte[] src) {
    writeVarUint(src.length);
    writeRaw(src, 0, src.length);
  }

  /**
   * Appends a string as its byte length and its UTF-8 bytes. Unpaired surrogates are kept as
   * their three-byte forms (WTF-8) so that a text run split inside a surrogate pair round-trips
   * exactly; the API replaces them with U+FFFD before they reach keys and JSON strings.
   */
  public void writeVarString(String s) {
    int n = s.length();
    int bytes = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    writeVarUint(bytes);
    ensure(bytes);
    for (int i = 0; i < n; i++) {
      int c = s.charAt(i);
      if (c < 0x80) {
        buf[len++] = (byte) c;
      } else if (c < 0x800) {
        buf[len++] = (byte) (0xc0 | (c >> 6));
        buf[len++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isHighSurrogate((char) c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint((char) c, s.charAt(++i));
        buf[len++] = (byte) (0xf0 | (cp >> 18));
        buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        buf[len++] = (byte) (0x80 | (cp & 0x3f));
      } else {
        buf[len++] = (byte) (0xe0 | (c >> 12));
        buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        buf[len++] = (byte) (0x80 | (c & 0x3f));
      }
    }
  }

  /** Appends a double as its eight IEEE 754 bytes, most significant first. */
  public void writeDouble(double v) {
    long bits = Double.doubleToRawLongBits(v);
    writeInt32((int) (bits >>> 32));
    writeInt32((int) bits);
  }

  private void writeInt32(int v) {
    ensure(4);
    buf[len++] = (byte) (v >>> 24);
    buf[len++] = (byte) (v >>> 16);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
  }
}
