package org.mycelium.sync.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.mycelium.sync.Text;

/**
 * A sequence of single-character text edits: an insert of {@code chars[i]} at {@code pos[i]}, or
 * (when {@code chars[i] == 0}) a delete of one character at {@code pos[i]}. The browser benchmarks
 * read the same sequence from its binary form, so every engine replays identical edits.
 */
public final class Edits {
  /** Position of each edit (UTF-16 code units). */
  final int[] pos;
  /** The inserted character of each edit, or 0 for a delete. */
  final char[] chars;
  /** Text length after the last edit (from the length the edits started on). */
  final int finalLength;
  private final String[] strings; // one-char strings, made once so that replay times only the API calls

  Edits(int[] pos, char[] chars, int finalLength) {
    this.pos = pos;
    this.chars = chars;
    this.finalLength = finalLength;
    this.strings = new String[chars.length];
    for (int i = 0; i < chars.length; i++) {
      strings[i] = chars[i] == 0 ? null : String.valueOf(chars[i]).intern();
    }
  }

  /** Returns the number of edits. */
  public int size() {
    return pos.length;
  }

  /** Returns the number of inserts. */
  public int inserts() {
    int n = 0;
    for (char c : chars) {
      n += c == 0 ? 0 : 1;
    }
    return n;
  }

  /** Applies edits [from, to) to {@code text}, one API call (so one transaction) per edit. */
  public void applyTo(Text text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (strings[i] != null) {
        text.insert(pos[i], strings[i]);
      } else {
        text.delete(pos[i], 1);
      }
    }
  }

  /** Applies every edit to {@code text}, one API call per edit. */
  public void applyTo(Text text) {
    applyTo(text, 0, pos.length);
  }

  /**
   * Writes the binary form the browser pages read: little-endian int32 count, int32 final
   * length, count int32 positions, count uint16 characters (0 = delete).
   */
  public void writeTo(OutputStream out) throws IOException {
    int n = pos.length;
    ByteBuffer b = ByteBuffer.allocate(8 + n * 6).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(n).putInt(finalLength);
    for (int p : pos) {
      b.putInt(p);
    }
    for (char c : chars) {
      b.putChar(c);
    }
    out.write(b.array());
  }

  /** Returns the binary form ({@link #writeTo}). */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writeTo(out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }
}
