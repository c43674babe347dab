package org.mycelium.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkerTest {
  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void split_smallMessage_isOneWholeFrame() {
    Chunker c = new Chunker(64, 1 << 20);
    byte[][] frames = c.split(new byte[] {1, 2, 3});
    assertEquals(1, frames.length);
    assertArrayEquals(new byte[] {0, 1, 2, 3}, frames[0]);
    assertArrayEquals(new byte[] {1, 2, 3}, c.join(frames[0]));
  }

  @Test
  void split_anySize_framesFitAndJoinBack() {
    for (int n : new int[] {0, 1, 62, 63, 64, 65, 127, 128, 1000, 4096, 100_000}) {
      Chunker c = new Chunker(64, 1 << 20);
      byte[] msg = random(n, n);
      byte[][] frames = c.split(msg);
      byte[] out = null;
      for (int i = 0; i < frames.length; i++) {
        assertTrue(frames[i].length <= 64, "frame " + i + " of " + n + " is " + frames[i].length);
        out = c.join(frames[i]);
        if (i < frames.length - 1) {
          assertNull(out);
          assertTrue(c.isJoining());
        }
      }
      assertArrayEquals(msg, out, "size " + n);
      assertFalse(c.isJoining());
    }
  }

  @Test
  void join_overLimit_rejectsBeforeAllocating() {
    Chunker sender = new Chunker(64, Integer.MAX_VALUE);
    Chunker receiver = new Chunker(64, 1000);
    byte[][] frames = sender.split(random(5000, 1));
    assertThrows(MalformedUpdateException.class, () -> receiver.join(frames[0]));
    assertThrows(MalformedUpdateException.class, () -> receiver.join(new Chunker(2000, 5000).split(random(1500, 2))[0]));
  }

  @Test
  void join_continuationWithoutStart_throws() {
    assertThrows(MalformedUpdateException.class, () -> new Chunker(64, 1000).join(new byte[] {2, 1, 2}));
  }

  @Test
  void join_overrunAndInterleaving_throwAndReset() {
    Chunker c = new Chunker(64, 1000);
    byte[][] frames = c.split(random(100, 3));
    c.join(frames[0]);
    assertThrows(MalformedUpdateException.class, () -> c.join(frames[0]));
    assertFalse(c.isJoining());
    c.join(frames[0]);
    byte[] tooLong = new byte[70];
    tooLong[0] = 2;
    assertThrows(MalformedUpdateException.class, () -> c.join(tooLong));
    assertThrows(MalformedUpdateException.class, () -> c.join(new byte[] {9}));
    assertThrows(MalformedUpdateException.class, () -> c.join(new byte[0]));
    // and it still works afterwards
    byte[] msg = random(300, 4);
    byte[] out = null;
    for (byte[] f : c.split(msg)) {
      out = c.join(f);
    }
    assertArrayEquals(msg, out);
  }
}
