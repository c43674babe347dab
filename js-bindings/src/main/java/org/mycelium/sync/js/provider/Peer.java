package org.mycelium.sync.js.provider;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import org.mycelium.sync.Chunker;
import org.mycelium.sync.CreditAccount;
import org.mycelium.sync.CreditLedger;
import org.mycelium.sync.SyncSession;
import org.mycelium.sync.js.net.RTCDataChannel;
import org.mycelium.sync.js.net.RTCPeerConnection;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Uint8Array;

/**
 * One remote provider, known by its provider id, and the path that currently carries its
 * session. A peer is listed (in {@code provider.peers}) once its path is open; until then it is
 * pending: a WebRTC negotiation that has a deadline, after which the relay takes over.
 */
final class Peer {
  static final String PENDING = "pending";
  static final String WEBRTC = "webrtc";
  static final String TAB = "tab";
  static final String RELAY = "relay";

  final String id; // the remote provider's id, unique per provider instance
  String path = PENDING; // PENDING until a path opens, then WEBRTC, TAB or RELAY
  final Signaling via; // the signaling connection it was found through; null for tab peers
  final String serverId; // its id on that connection; null for tab peers
  final boolean offerer; // true when this side makes the WebRTC offer
  boolean keeper; // the server's room keeper (its handshake said keeper: true); always on the relay
  int unacked; // updates and syncStep2s sent to the keeper that it has not acked yet (keep only)

  RTCPeerConnection pc; // null unless WebRTC was tried
  RTCDataChannel dc; // null until a channel exists
  final ArrayDeque<Uint8Array> backlog = new ArrayDeque<>(); // frames waiting for room in dc's buffer, in order
  JSObject[] localCandidates = new JSObject[0]; // gathered before the offer or answer went out
  boolean descriptionSent; // the local description has been signaled, candidates may follow
  int connectTimer; // the WebRTC deadline timer, 0 when none

  SyncSession session; // null while pending
  Chunker joiner; // joins this peer's frames; null while pending
  final Set<Integer> awarenessClients = new HashSet<>(); // clients whose presence came from this peer

  double bytesIn; // frame bytes received on the open path
  double bytesOut; // frame bytes sent on the open path
  double messagesIn; // whole sync messages received
  double messagesOut; // whole sync messages sent
  double dropped; // malformed frames or messages received and dropped
  double openedAt; // when the session opened (Js.now), 0 while pending
  double bytesInAtTick; // bytesIn at the provider's last tick: unchanged means a silent tick
  int resyncs; // syncStep1 sent again because the session stalled unsynced
  int traced; // messages written to the debug trace so far
  final PeerCredit credit = new PeerCredit(); // its credit gate and timers (ProviderCredit)

  Peer(String id, Signaling via, String serverId, boolean offerer) {
    this.id = id;
    this.via = via;
    this.serverId = serverId;
    this.offerer = offerer;
  }

  /** Returns true once a path is open and the session runs. */
  boolean isOpen() {
    return session != null;
  }

  /** Returns true when this peer's session has applied the other side's state. */
  boolean isSynced() {
    return session != null && session.isSynced();
  }

  /** Returns the record the API shows for this peer. */
  JSObject toJs() {
    JSObject o = Js.peer(id, path, isSynced(), bytesIn, bytesOut, messagesIn, messagesOut, dropped);
    CreditAccount a = credit.gate == null ? null : credit.gate.account();
    double now = Js.now();
    Js.creditStats(o, a == null ? Double.NaN : a.balance(now), a == null ? "ok" : CreditLedger.stateName(a.state(now)),
        a == null ? 0 : a.opsIn(), a == null ? 0 : a.opsOut(), a == null ? 0 : a.rejected(), a == null ? 0 : a.redundant());
    return o;
  }

  /** Remembers a local ICE candidate until the description has gone out. */
  void queueCandidate(JSObject c) {
    JSObject[] next = new JSObject[localCandidates.length + 1];
    System.arraycopy(localCandidates, 0, next, 0, localCandidates.length);
    next[localCandidates.length] = c;
    localCandidates = next;
  }
}
