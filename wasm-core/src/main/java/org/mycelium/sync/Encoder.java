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
}
