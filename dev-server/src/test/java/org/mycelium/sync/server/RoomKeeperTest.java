package org.mycelium.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mycelium.sync.Doc;
import org.mycelium.sync.Text;

/** The room keeper with a real server on port 0, real WebSockets and real SQLite in a temporary directory. */
class RoomKeeperTest {
  @TempDir
  Path data;

  DevServer start(String keepRooms, int compactAfter) {
    return DevServer.start(new DevServer.Options("127.0.0.1", 0, TestServer.ROOT)
        .withKeep(DevServer.Keep.rooms(keepRooms, data).withCompactAfter(compactAfter)));
  }

  static JsonNode metrics(DevServer s) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + s.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    return WsClient.JSON.readTree(r.body());
  }

  static void awaitCompaction(DevServer s) throws Exception {
    long end = System.nanoTime() + 5_000_000_000L;
    while (metrics(s).get("keeper").get("compactions").asLong() < 1) {
      assertTrue(System.nanoTime() < end, "no compaction within 5 s");
      Thread.sleep(10);
    }
  }

  static void type(Doc doc, String s) {
    Text t = doc.getText("t");
    for (char ch : s.toCharArray()) {
      t.insert(t.length(), String.valueOf(ch)); // one transaction, one update message per character
    }
  }

  @Test
  void lateJoiner_afterTheAuthorLeftAndTheServerRestarted_receivesEverything() throws Exception {
    String typed = "kept across a restart";
    try (DevServer s = start("notes-*", 1000)) {
      try (SyncPeer a = SyncPeer.join(s.port(), "notes-1", true, new Doc(11))) {
        a.settle(5000);
        type(a.doc, typed);
        a.settle(5000);
        assertEquals(typed.length() + 1, a.session.acks()); // every update, and our syncStep2
      }
    }
    try (DevServer s = start("notes-*", 1000);
        SyncPeer b = SyncPeer.join(s.port(), "notes-1", true, new Doc(22))) {
      b.settle(5000);
      assertEquals(typed, b.doc.getText("t").toString());
    }
  }

  @Test
  void keeper_syncsTwoPeers_andAcksOnlyThePeerThatAskedForKeep() throws Exception {
    try (DevServer s = start("*", 1000);
        SyncPeer a = SyncPeer.join(s.port(), "r", true, new Doc(1));
        SyncPeer plain = SyncPeer.join(s.port(), "r", false, new Doc(2))) {
      assertEquals(a.keeperId, plain.keeperId);
      type(a.doc, "ab");
      type(plain.doc, "xyz");
      a.settle(5000);
      plain.until(() -> plain.session.isSynced(), 5000);
      assertTrue(a.session.acks() >= 3);
      assertEquals(0, plain.session.acks());
      try (SyncPeer late = SyncPeer.join(s.port(), "r", true, new Doc(3))) {
        late.settle(5000);
        String text = late.doc.getText("t").toString();
        assertEquals(5, text.length(), text);
      }
      JsonNode k = metrics(s).get("keeper");
      assertEquals(a.keeperId, k.get("keepers").get("r").asText());
      assertTrue(k.get("updatesStored").asLong() >= 5);
    }
  }

  @Test
  void keeper_enteringARoomWithPeers_saysHelloToThem_andSyncsOverTheRelay() throws Exception {
    try (DevServer s = start("*", 1000); WsClient a = WsClient.joined(s.port(), "busy")) {
      try (SyncPeer b = SyncPeer.join(s.port(), "busy", true, new Doc(2))) {
        assertEquals(b.ws.id, a.expect("peer-joined").get("peer").asText());
        JsonNode hello = a.expect("signal");
        assertEquals(b.keeperId, hello.get("from").asText());
        assertEquals("hello", hello.get("data").get("t").asText());
        assertTrue(hello.get("data").get("keeper").asBoolean());
        assertFalse(hello.get("data").get("webrtc").asBoolean());
        a.send("{\"type\":\"signal\",\"room\":\"busy\",\"to\":\"" + b.keeperId
            + "\",\"data\":{\"t\":\"ack\",\"pid\":\"a\",\"webrtc\":false}}");
        RelayFrame step1 = RelayFrame.decode(a.expectBinary());
        assertEquals(b.keeperId, step1.peer());
        byte[] message = new org.mycelium.sync.Chunker(RoomKeeper.FRAME_SIZE, RoomKeeper.MAX_MESSAGE).join(step1.payload());
        assertEquals(org.mycelium.sync.SyncSession.SYNC_STEP1, org.mycelium.sync.SyncSession.typeOf(message));
      }
    }
  }

  @Test
  void memberThatJoinsAgainWithKeep_getsAKeeper() throws Exception {
    try (DevServer s = start("*", 1000); WsClient a = WsClient.joined(s.port(), "again")) {
      JsonNode joined = a.join("again"); // the same join repeated: still no keeper
      assertFalse(joined.has("keeper"));
      a.send("{\"type\":\"join\",\"room\":\"again\",\"keep\":true}");
      joined = a.expect("joined");
      String keeper = joined.get("keeper").asText();
      assertEquals(keeper, joined.get("peers").get(0).asText());
    }
  }

  @Test
  void join_ofARoomNotAllowed_orWithoutKeep_hasNoKeeper() throws Exception {
    try (DevServer s = start("only-this", 1000);
        SyncPeer other = SyncPeer.join(s.port(), "other", true, new Doc(1));
        SyncPeer notAsked = SyncPeer.join(s.port(), "only-this", false, new Doc(2))) {
      assertNull(other.keeperId);
      assertNull(notAsked.keeperId);
    }
    try (DevServer s = DevServer.start(new DevServer.Options("127.0.0.1", 0, TestServer.ROOT));
        SyncPeer p = SyncPeer.join(s.port(), "x", true, new Doc(1))) {
      assertNull(p.keeperId);
      assertFalse(metrics(s).has("keeper"));
    }
  }

  @Test
  void compaction_mergesARoomIntoOneSnapshot_andLosesNothing() throws Exception {
    String typed = "0123456789".repeat(5);
    try (DevServer s = start("*", 10)) {
      try (SyncPeer a = SyncPeer.join(s.port(), "c", true, new Doc(5))) {
        type(a.doc, typed);
        a.settle(5000);
        awaitCompaction(s); // acks go out before the compaction that follows their write
      }
    }
    try (SqliteRoomStore store = SqliteRoomStore.open(data)) {
      assertTrue(store.size("c").rows() <= 11, "rows " + store.size("c"));
    }
    try (DevServer s = start("*", 10);
        SyncPeer b = SyncPeer.join(s.port(), "c", true, new Doc(6))) {
      b.settle(5000);
      assertEquals(typed, b.doc.getText("t").toString());
    }
  }

  @Test
  void corruptRow_isQuarantinedAndReported_andEveryRoomKeepsServing() throws Exception {
    Doc good = new Doc(9);
    good.getText("t").insert(0, "fine");
    try (SqliteRoomStore store = SqliteRoomStore.open(data)) {
      store.append("a", good.encodeStateAsUpdate(null));
      store.append("a", new byte[] {1, (byte) 0xff, (byte) 0xff, 7}); // does not decode
      store.append("b", good.encodeStateAsUpdate(null));
    }
    try (DevServer s = start("*", 1000);
        SyncPeer a = SyncPeer.join(s.port(), "a", true, new Doc(1));
        SyncPeer b = SyncPeer.join(s.port(), "b", true, new Doc(2))) {
      a.settle(5000);
      b.settle(5000);
      assertEquals("fine", a.doc.getText("t").toString());
      assertEquals("fine", b.doc.getText("t").toString());
      type(a.doc, "!");
      a.settle(5000);
      JsonNode k = metrics(s).get("keeper");
      assertEquals(1, k.get("corruptRows").asInt());
      JsonNode q = k.get("recentQuarantined").get(0);
      assertEquals("a", q.get("room").asText());
      assertTrue(q.get("moved").asBoolean());
    }
    try (SqliteRoomStore store = SqliteRoomStore.open(data)) {
      List<RoomStore.Quarantined> q = store.quarantined();
      assertEquals(1, q.size());
      assertEquals(4, q.get(0).bytes().length);
      assertEquals(2, store.load("a").size()); // the good row and the "!"
    }
  }
}
