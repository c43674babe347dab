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

  /** Creates a decoder over the whole of {@code bytes}. */
  public Decoder(byte[] bytes) {
    if (bytes == null) {
      throw new MalformedUpdateException("no input", 0);
    }
    this.buf = bytes;
    this.end = bytes.length;
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
      if (shift == 28 && (b & 0x70) != 0) {
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
}
