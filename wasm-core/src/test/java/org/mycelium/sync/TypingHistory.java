package org.mycelium.sync;

import java.util.Random;

/**
 * A seeded typing history like the one in DESIGN.md: single-character edits, about 70% inserts
 * at the cursor and 30% backspaces, the cursor jumping to a random place now and then. With the
 * default 260,000 edits it ends near 100,000 characters. Public so that the benchmarks module
 * can reuse it through wasm-core's test jar.
 */
public final class TypingHistory {
  /** Kind of an insert edit: insert {@code chars[i]} at {@code positions[i]}. */
  public static final byte INSERT = 0;
  /** Kind of a delete edit: delete one code unit at {@code positions[i]}. */
  public static final byte DELETE = 1;
  /** The default number of edits. */
  public static final int DEFAULT_EDITS = 260_000;

  private static final String ALPHABET = "eeeeeeeeeetttttttaaaaaaoooooiiiiinnnnnsssssrrrrhhhhlllddcuumwfgypbvk           ,.\n";

  private final int[] positions;
  private final byte[] kinds;
  private final char[] chars;

  private TypingHistory(int[] positions, byte[] kinds, char[] chars) {
    this.positions = positions;
    this.kinds = kinds;
    this.chars = chars;
  }

  /** Generates the default-size history from {@code seed}. */
  public static TypingHistory generate(long seed) {
    return generate(seed, DEFAULT_EDITS);
  }

  /** Generates {@code edits} edits from {@code seed}. */
  public static TypingHistory generate(long seed, int edits) {
    Random r = new Random(seed);
    int[] pos = new int[edits];
    byte[] kind = new byte[edits];
    char[] ch = new char[edits];
    int length = 0;
    int cursor = 0;
    for (int i = 0; i < edits; i++) {
      if (r.nextInt(500) == 0) {
        cursor = r.nextInt(length + 1);
      }
      if (r.nextInt(10) < 3 && cursor > 0) {
        cursor--;
        pos[i] = cursor;
        kind[i] = DELETE;
        length--;
      } else {
        pos[i] = cursor;
        kind[i] = INSERT;
        ch[i] = ALPHABET.charAt(r.nextInt(ALPHABET.length()));
        cursor++;
        length++;
      }
    }
    return new TypingHistory(pos, kind, ch);
  }

  /** Returns the number of edits. */
  public int size() {
    return positions.length;
  }

  /** Returns each edit's position (a UTF-16 index into the text before the edit). */
  public int[] positions() {
    return positions;
  }

  /** Returns each edit's kind: {@link #INSERT} or {@link #DELETE}. */
  public byte[] kinds() {
    return kinds;
  }

  /** Returns each insert's character (unused for deletes). */
  public char[] chars() {
    return chars;
  }

  /** Applies every edit to a text, one transaction per edit. */
  public void applyTo(Text text) {
    for (int i = 0; i < positions.length; i++) {
      if (kinds[i] == INSERT) {
        text.insert(positions[i], String.valueOf(chars[i]));
      } else {
        text.delete(positions[i], 1);
      }
    }
  }

  /** Returns the text the history ends with, replayed on a gap buffer. */
  public String finalText() {
    char[] buf = new char[positions.length + 1];
    int gapStart = 0;
    int gapEnd = buf.length;
    for (int i = 0; i < positions.length; i++) {
      int p = positions[i];
      while (gapStart > p) {
        buf[--gapEnd] = buf[--gapStart];
      }
      while (gapStart < p) {
        buf[gapStart++] = buf[gapEnd++];
      }
      if (kinds[i] == INSERT) {
        buf[gapStart++] = chars[i];
      } else {
        gapEnd++;
      }
    }
    return new String(buf, 0, gapStart) + new String(buf, gapEnd, buf.length - gapEnd);
  }
}
