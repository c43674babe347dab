package org.mycelium.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CodecTest {
  @Test
  void writeVarUint_roundTripsBoundaries() {
    int[] values = {0, 1, 127, 128, 16383, 16384, 2097151, 2097152, Integer.MAX_VALUE};
    int[] sizes = {1, 1, 1, 2, 2, 3, 3, 4, 5};
    for (int i = 0; i < values.length; i++) {
      Encoder e = new Encoder();
      e.writeVarUint(values[i]);
      assertEquals(sizes[i], e.length(), "size of " + values[i]);
      Decoder d = new Decoder(e.toBytes());
      assertEquals(values[i], d.readVarUint());
      assertTrue(d.isDone());
    }
  }

  @Test
  void writeVarUint_pinsBytes() {
    Encoder e = new Encoder();
    e.writeVarUint(300);
    assertArrayEquals(new byte[] {(byte) 0xac, 0x02}, e.toBytes());
  }

  @Test
  void writeVarInt_roundTripsSigned() {
    int[] values = {0, -1, 1, -64, 64, Integer.MIN_VALUE, Integer.MAX_VALUE};
    for (int v : values) {
      Encoder e = new Encoder();
      e.writeVarInt(v);
      assertEquals(v, new Decoder(e.toBytes()).readVarInt());
    }
  }

  @Test
  void readVarUint_truncated_throwsWithOffset() {
    MalformedUpdateException ex =
        assertThrows(MalformedUpdateException.class, () -> new Decoder(new byte[] {(byte) 0x80}).readVarUint());
    assertEquals(1, ex.offset());
  }

  @Test
  void readVarUint_tooWide_throws() {
    byte[] six = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f};
    assertThrows(MalformedUpdateException.class, () -> new Decoder(six).readVarUint());
  }

  @Test
  void readVarUint_bit31_throws() {
    byte[] b = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
    assertThrows(MalformedUpdateException.class, () -> new Decoder(b).readVarUint());
    byte[] max = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
    assertEquals(Integer.MAX_VALUE, new Decoder(max).readVarUint());
  }

  @Test
  void readVarBytes_lengthBeyondInput_throwsBeforeAllocating() {
    Encoder e = new Encoder();
    e.writeVarUint(Integer.MAX_VALUE);
    assertThrows(MalformedUpdateException.class, () -> new Decoder(e.toBytes()).readVarBytes());
  }

  @Test
  void stateVector_encodesSortedAndRoundTrips() {
    StateVector sv = new StateVector();
    sv.set(900, 3);
    sv.set(7, 10);
    sv.set(300, 1);
    byte[] bytes = sv.encode();
    assertArrayEquals(new byte[] {3, 7, 10, (byte) 0xac, 0x02, 1, (byte) 0x84, 0x07, 3}, bytes);
    assertEquals(sv, StateVector.decode(bytes));
    assertEquals(10, sv.get(7));
    assertEquals(0, sv.get(8));
  }

  @Test
  void stateVector_decode_rejectsUnsortedAndTrailing() {
    assertThrows(MalformedUpdateException.class, () -> StateVector.decode(new byte[] {2, 5, 1, 4, 1}));
    assertThrows(MalformedUpdateException.class, () -> StateVector.decode(new byte[] {0, 0}));
    assertThrows(MalformedUpdateException.class, () -> StateVector.decode(new byte[] {100}));
  }

  @Test
  void deleteSet_combine_unionAndDifference_includingLargestClient() {
    DeleteSet a = new DeleteSet();
    a.add(Integer.MAX_VALUE, 0, 10);
    a.add(3, 5, 8);
    DeleteSet b = new DeleteSet();
    b.add(Integer.MAX_VALUE, 2, 4);
    b.add(Integer.MAX_VALUE, 9, 12);
    b.add(1, 0, 1);
    DeleteSet u = a.combine(b, false);
    assertTrue(u.contains(1, 0));
    assertTrue(u.contains(Integer.MAX_VALUE, 11));
    assertEquals(1, u.get(Integer.MAX_VALUE).n);
    DeleteSet d = a.combine(b, true);
    assertTrue(d.contains(Integer.MAX_VALUE, 1));
    assertTrue(!d.contains(Integer.MAX_VALUE, 3));
    assertTrue(d.contains(Integer.MAX_VALUE, 8));
    assertTrue(!d.contains(Integer.MAX_VALUE, 9));
    assertTrue(!d.contains(1, 0));
    assertTrue(b.combine(a, true).contains(1, 0));
    assertTrue(!b.combine(a, true).contains(Integer.MAX_VALUE, 9));
    assertTrue(b.combine(a, true).contains(Integer.MAX_VALUE, 10));
  }
}
