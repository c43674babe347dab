package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite room store against a real database file in a temporary directory. */
class SqliteRoomStoreTest {
  @TempDir
  Path dir;

  static byte[] b(int... v) {
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (byte) v[i];
    }
    return out;
  }

  @Test
  void open_createsTheDirectory_inWalModeWithFullSync() {
    Path data = dir.resolve("a/b");
    try (SqliteRoomStore s = SqliteRoomStore.open(data)) {
      assertTrue(Files.isRegularFile(data.resolve(SqliteRoomStore.FILE)));
      assertEquals("wal", s.pragma("journal_mode"));
      assertEquals("2", s.pragma("synchronous")); // FULL
    }
  }

  @Test
  void append_thenLoad_returnsTheRowsOfThatRoomInOrder() {
    try (SqliteRoomStore s = SqliteRoomStore.open(dir)) {
      long[] ids = s.append(List.of(new RoomStore.Append("r", b(1)), new RoomStore.Append("q", b(9)),
          new RoomStore.Append("r", b(2, 3))));
      long third = s.append("r", b(4));
      assertTrue(ids[0] < ids[1] && ids[1] < ids[2] && ids[2] < third);
      List<RoomStore.Row> rows = s.load("r");
      assertEquals(3, rows.size());
      assertArrayEquals(b(1), rows.get(0).bytes());
      assertArrayEquals(b(2, 3), rows.get(1).bytes());
      assertArrayEquals(b(4), rows.get(2).bytes());
      assertEquals(List.of("q", "r"), s.rooms());
      assertEquals(new RoomStore.Size(3, 4), s.size("r"));
      assertEquals(List.of(), s.load("none"));
    }
  }

  @Test
  void reopen_findsWhatWasAppended() {
    try (SqliteRoomStore s = SqliteRoomStore.open(dir)) {
      s.append("r", b(1, 2));
    }
    try (SqliteRoomStore s = SqliteRoomStore.open(dir)) {
      assertArrayEquals(b(1, 2), s.load("r").get(0).bytes());
      long next = s.append("r", b(3));
      assertEquals(2, s.load("r").size());
      assertTrue(next > s.load("r").get(0).id());
    }
  }

  @Test
  void replace_putsTheSnapshotWhereTheRowsWere_andKeepsLaterRows() {
    try (SqliteRoomStore s = SqliteRoomStore.open(dir)) {
      s.append("r", b(1));
      long second = s.append("r", b(2));
      s.append("other", b(7));
      long third = s.append("r", b(3));
      s.replace("r", second, b(1, 2));
      List<RoomStore.Row> rows = s.load("r");
      assertEquals(2, rows.size());
      assertEquals(second, rows.get(0).id());
      assertArrayEquals(b(1, 2), rows.get(0).bytes());
      assertEquals(third, rows.get(1).id());
      assertEquals(1, s.load("other").size());
    }
  }

  @Test
  void quarantine_movesTheRowAside_withItsBytesAndReason() {
    try (SqliteRoomStore s = SqliteRoomStore.open(dir)) {
      s.append("r", b(1));
      long bad = s.append("r", b(0xff, 0xff));
      assertTrue(s.quarantine("r", bad, "does not decode"));
      assertFalse(s.quarantine("r", bad, "again"));
      assertEquals(1, s.load("r").size());
      List<RoomStore.Quarantined> q = s.quarantined();
      assertEquals(1, q.size());
      assertEquals("r", q.get(0).room());
      assertEquals(bad, q.get(0).id());
      assertArrayEquals(b(0xff, 0xff), q.get(0).bytes());
      assertEquals("does not decode", q.get(0).reason());
    }
    try (SqliteRoomStore s = SqliteRoomStore.open(dir)) {
      assertEquals(1, s.quarantined().size());
    }
  }
}
