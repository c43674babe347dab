package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mycelium.sync.Doc;
import org.mycelium.sync.ListType;
import org.mycelium.sync.Text;
import org.mycelium.sync.Updates;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Figures for the room keeper. Not part of the default build (the name does not end in Test);
 * run it with
 * {@code mvn -B -pl dev-server -am verify -Dtest=KeeperBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * It prints its figures and asserts only that what was loaded is complete.
 */
class KeeperBenchmark {
  static final int RECORDS = 100_000;

  @TempDir
  Path data;

  /** A list of 100K records {done, id, title}, pushed 1,000 to a transaction. */
  static Doc records() {
    Doc doc = new Doc(4242);
    ListType list = doc.getList("records");
    for (int i = 0; i < RECORDS; i += 1000) {
      Object[] batch = new Object[1000];
      for (int j = 0; j < batch.length; j++) {
        int id = i + j;
        batch[j] = Map.of("id", id, "title", "record " + id, "done", id % 3 == 0);
      }
      doc.transact(() -> list.push(batch), null);
    }
    return doc;
  }

  /** One typing edit at {@code cursor}: 70% an insert, 30% a backspace, 1 in 50 after a jump; returns the new cursor. */
  static int typeOne(Text t, int cursor, Random rnd) {
    if (rnd.nextInt(50) == 0) {
      cursor = rnd.nextInt(t.length() + 1);
    }
    if (cursor > 0 && rnd.nextInt(10) < 3) {
      t.delete(--cursor, 1);
      return cursor;
    }
    t.insert(cursor, String.valueOf((char) ('a' + rnd.nextInt(26))));
    return cursor + 1;
  }

  /** The same typing as one Updates.merge of one-edit updates: what compaction writes without a doc. */
  static int mergedSize(int edits, String room) {
    Random rnd = new Random(42);
    Doc d = new Doc(7);
    java.util.ArrayList<byte[]> updates = new java.util.ArrayList<>();
    d.onUpdate((u, o) -> updates.add(u));
    Text t = d.getText("t");
    int cursor = 0;
    for (int i = 0; i < edits; i++) {
      cursor = typeOne(t, cursor, rnd);
    }
    return Updates.merge(updates.toArray(new byte[0][])).length;
  }

  /**
   * A 100K-record document stored in SQLite (one row, as after compaction): the keeper loads it
   * when the first peer joins, and sends it to that peer. Timed from a JVM peer and from Chromium
   * (wasm), every run with a cold keeper (the room unloads when its last peer leaves); then the
   * same document from IndexedDB in Chromium with the existing persistence.
   */
  @Test
  void load_100kRecords_fromSqliteIntoALateJoiner_andFromIndexeddb() throws Exception {
    Doc source = records();
    byte[] state = source.encodeStateAsUpdate(null);
    try (SqliteRoomStore store = SqliteRoomStore.open(data)) {
      store.append("kept-big", state);
    }
    System.out.printf("100K records: %d bytes of state, one row in SQLite%n", state.length);
    for (int run = 0; run < 5; run++) {
      long t0 = System.nanoTime();
      Doc d = new Doc(1);
      d.applyUpdate(state, null);
      long t1 = System.nanoTime();
      d.encodeStateAsUpdate(new Doc(2).encodeStateVector());
      System.out.printf("JVM engine alone, run %d: applyUpdate of the state %.1f ms, encodeStateAsUpdate %.1f ms%n",
          run, (t1 - t0) / 1e6, (System.nanoTime() - t1) / 1e6);
    }
    try (DevServer s = DevServer.start(new DevServer.Options("127.0.0.1", 0, TestServer.ROOT)
        .withKeep(DevServer.Keep.rooms("kept-*", data)))) {
      for (int run = 0; run < 5; run++) {
        long t0 = System.nanoTime();
        try (SyncPeer p = SyncPeer.join(s.port(), "kept-big", true, new Doc(1000 + run))) {
          p.settle(60_000);
          double ms = (System.nanoTime() - t0) / 1e6;
          assertEquals(RECORDS, p.doc.getList("records").length());
          double load = RoomKeeperTest.metrics(s).get("keeper").get("rooms").get("kept-big").get("loadMs").asDouble();
          System.out.printf("JVM late joiner, run %d: join to synced %.1f ms (of which the keeper's load from SQLite %.1f ms)%n",
              run, ms, load);
        }
        Thread.sleep(200); // the room unloads
      }
      ChromeDriver driver = Chromium.start();
      try {
        for (int run = 0; run < 5; run++) {
          driver.get(TestServer.url(s, "/selftest/blank.html"));
          Chromium.await(driver, 20).until(d -> Boolean.TRUE.equals(
              driver.executeScript("return !!(window.MyceliumSync && MyceliumSync.engine)")));
          @SuppressWarnings("unchecked")
          Map<String, Object> r = (Map<String, Object>) driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
              + "var t0 = performance.now(); window.doc = new MyceliumSync.Doc();"
              + "window.net = new MyceliumSync.WebrtcProvider('kept-big', doc, { keep: true, tabs: false });"
              + "(function wait() { var k = net.keeper; if (k && k.synced) done({ms: performance.now() - t0,"
              + "  n: doc.getList('records').length, engine: MyceliumSync.engine}); else setTimeout(wait, 1); })();");
          assertEquals((long) RECORDS, ((Number) r.get("n")).longValue());
          double load = RoomKeeperTest.metrics(s).get("keeper").get("rooms").get("kept-big").get("loadMs").asDouble();
          System.out.printf("Chromium (%s) late joiner, run %d: provider start to synced with the keeper %.1f ms"
              + " (of which the keeper's load from SQLite %.1f ms)%n", r.get("engine"), run,
              ((Number) r.get("ms")).doubleValue(), load);
          Object apply = driver.executeScript("var u = doc.encodeStateAsUpdate(); var t = performance.now();"
              + "new MyceliumSync.Doc().applyUpdate(u); return performance.now() - t;");
          System.out.printf("Chromium engine alone, run %d: applyUpdate of the state %.1f ms%n", run, ((Number) apply).doubleValue());
          if (run == 0) {
            driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "var p = new MyceliumSync.IndexeddbPersistence('big', doc); p.whenSynced.then(function () {"
                + "  var u = doc.getList('records'); u.push([{id: -1}]); u.delete(u.length - 1, 1);" // one write after the initial store
                + "  setTimeout(function () { p.destroy(); done(); }, 500); });");
          }
          driver.executeScript("net.destroy()");
          Thread.sleep(200);
        }
        for (int run = 0; run < 5; run++) {
          driver.navigate().refresh();
          Chromium.await(driver, 20).until(d -> Boolean.TRUE.equals(
              driver.executeScript("return !!(window.MyceliumSync && MyceliumSync.engine)")));
          @SuppressWarnings("unchecked")
          Map<String, Object> r = (Map<String, Object>) driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
              + "var t0 = performance.now(); var doc = new MyceliumSync.Doc();"
              + "var p = new MyceliumSync.IndexeddbPersistence('big', doc);"
              + "var ready = performance.now() - t0;"
              + "p.whenSynced.then(function () { done({ms: performance.now() - t0, ready: ready,"
              + "  n: doc.getList('records').length}); p.destroy(); });");
          assertEquals((long) RECORDS, ((Number) r.get("n")).longValue());
          System.out.printf("Chromium IndexedDB, run %d: persistence start to whenSynced %.1f ms (doc usable after %.2f ms)%n",
              run, ((Number) r.get("ms")).doubleValue(), ((Number) r.get("ready")).doubleValue());
        }
      } finally {
        driver.quit();
      }
    }
  }

  /**
   * Typing (70% inserts at the cursor, 30% backspaces, the cursor jumping now and then), one
   * update message per edit to the keeper; then the bytes stored, and the bytes of the snapshot
   * a compaction writes (Updates.merge of the rows), per 1,000 edits.
   */
  @Test
  void bytesStored_per1000Edits_afterCompaction() throws Exception {
    for (int edits : new int[] {1_000, 10_000}) {
      String room = "typing-" + edits;
      Random rnd = new Random(42);
      try (DevServer s = DevServer.start(new DevServer.Options("127.0.0.1", 0, TestServer.ROOT)
          .withKeep(DevServer.Keep.rooms("*", data).withCompactAfter(edits - 1)));
          SyncPeer p = SyncPeer.join(s.port(), room, true, new Doc(7))) {
        p.settle(10_000);
        Text t = p.doc.getText("t");
        int cursor = 0;
        for (int i = 0; i < edits; i++) {
          cursor = typeOne(t, cursor, rnd);
          if (i % 200 == 199) {
            p.settle(30_000);
          }
        }
        p.settle(30_000);
        RoomKeeperTest.awaitCompaction(s); // acks go out before the compaction that follows their write
        long raw = RoomKeeperTest.metrics(s).get("keeper").get("updatesStored").asLong();
        try (SqliteRoomStore store = SqliteRoomStore.open(data)) {
          List<RoomStore.Row> rows = store.load(room);
          assertEquals(1, rows.size(), "compacted into one snapshot");
          byte[] snapshot = rows.get(0).bytes();
          Doc check = new Doc(8);
          check.applyUpdate(snapshot, null);
          assertEquals(t.toString(), check.getText("t").toString());
          System.out.printf("%d edits (%d characters left), %d update rows before compaction: one snapshot of %d bytes"
              + " = %.0f bytes per 1,000 edits (Updates.merge of the same edits: %d bytes)%n",
              edits, t.length(), raw, snapshot.length, snapshot.length * 1000.0 / edits,
              mergedSize(edits, room));
        }
      }
    }
  }
}
