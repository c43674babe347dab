package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.mycelium.sync.MalformedUpdateException;

class RelayFrameTest {
  static byte[] hex(String s) {
    String[] parts = s.split(" ");
    byte[] b = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      b[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    return b;
  }

  @Test
  void encode_matchesTheDocumentedBytes() {
    assertArrayEquals(hex("01 01 72 00 01 02"), new RelayFrame("r", "", new byte[] {1, 2}).encode());
    assertArrayEquals(hex("01 01 72 02 61 62"), new RelayFrame("r", "ab", new byte[0]).encode());
  }

  @Test
  void decode_readsRoomPeerAndTheRestAsPayload() {
    RelayFrame f = RelayFrame.decode(hex("01 03 e2 82 ac 01 78 ff 00"));
    assertEquals("\u20ac", f.room());
    assertEquals("x", f.peer());
    assertArrayEquals(new byte[] {(byte) 0xff, 0}, f.payload());
  }

  @Test
  void decode_badFrames_throwWithTheOffset() {
    assertEquals("unexpected end of input at byte 0",
        assertThrows(MalformedUpdateException.class, () -> RelayFrame.decode(new byte[0])).getMessage());
    assertEquals("unknown binary message tag 2 at byte 0",
        assertThrows(MalformedUpdateException.class, () -> RelayFrame.decode(hex("02 00 00"))).getMessage());
    assertEquals("byte array count 5 exceeds the input at byte 1",
        assertThrows(MalformedUpdateException.class, () -> RelayFrame.decode(hex("01 05 61"))).getMessage());
    assertEquals("room is not UTF-8 at byte 1",
        assertThrows(MalformedUpdateException.class, () -> RelayFrame.decode(hex("01 01 ff 00"))).getMessage());
    assertEquals("to is not UTF-8 at byte 3",
        assertThrows(MalformedUpdateException.class, () -> RelayFrame.decode(hex("01 01 61 01 c3"))).getMessage());
    assertThrows(MalformedUpdateException.class, () -> RelayFrame.decode(hex("01 01 61")));
    assertThrows(MalformedUpdateException.class, () -> RelayFrame.decode(hex("81 80 80 80 80 01")));
  }
}
