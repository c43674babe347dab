package org.mycelium.sync.js.provider;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.mycelium.sync.CreditAccount;
import org.mycelium.sync.CreditLedger;
import org.mycelium.sync.CreditPolicy;
import org.mycelium.sync.Decoder;
import org.mycelium.sync.MalformedUpdateException;
import org.mycelium.sync.SyncSession;
import org.mycelium.sync.Updates;
import org.teavm.jso.browser.Window;

/**
 * The provider's credit gate: every whole sync message from a peer passes here before its
 * session sees it, and every message to a peer passes here before it is framed.
 *
 * <p>Incoming (docs/CREDIT.md, "How the hosts use it"). A message is charged on arrival by its
 * bytes ({@link CreditAccount#receive}); once the session has decoded it, by its ops
 * ({@link SyncSession#lastOps()}: structs and delete ranges of an update, entries of an
 * awareness message). Of an update or a syncStep2, the ops that were new to the doc
 * ({@link SyncSession#lastNewOps()}) and their share of the bytes are rewarded
 * ({@link CreditAccount#useful}), the rest is charged again as redundant; a syncStep2 that
 * answers a syncStep1 we sent is also refunded as served. A message that does not decode is
 * charged as malformed. While the peer is in debt its messages wait in its own queue (charged
 * already, bounded by {@link #MAX_HELD_BYTES}), the peer is sent a {@code backoff} with the
 * ledger's wait (at most once per wait), and the queue is processed in order once the refill
 * has paid the debt, at most {@link #DRAIN_BYTES} per task so that other peers' messages
 * interleave. When the ledger cuts the peer off, or the queue overflows, the provider drops the
 * peer with the reason and refuses it for {@code banMs}.
 *
 * <p>Outgoing. A peer that sent us {@code backoff} gets nothing from us until the wait (at most
 * {@link #MAX_PAUSE_MS}) is over: its messages are kept, and on resume the updates among them
 * are merged into one and sent after the others, so nothing is lost.
 *
 * <p>Every queue and timer is per peer: a flooder's held messages never delay another peer's.
 * With accounting off ({@code credit: false}) messages pass straight through, but a
 * {@code backoff} from a peer is still honoured.
 */
final class CreditGate {
  static final int MAX_HELD_BYTES = 32 << 20; // a throttled peer's waiting messages, at most
  static final int MAX_HELD_MESSAGES = 65_536;
  static final int DRAIN_BYTES = 1 << 20; // held bytes processed per task
  static final double MAX_PAUSE_MS = 30_000; // the longest backoff we honour

  private final Provider provider;
  final CreditLedger ledger; // null when accounting is off
  final double banMs; // how long a cut-off peer is refused
  private final Map<String, Double> banned = new HashMap<>(); // provider id -> refused until

  CreditGate(Provider provider, CreditPolicy policy, double banMs) {
    this.provider = provider;
    this.ledger = policy == null ? null : new CreditLedger(policy);
    this.banMs = banMs;
  }

  private CreditAccount account(Peer p, double now) {
    PeerCredit c = p.credit;
    if (c.account == null) {
      c.account = ledger.account(p.id, now);
    }
    return c.account;
  }

  // ---- incoming ----

  /** A whole message from {@code p}: processes it now, holds it, or drops the peer. */
  void receive(Peer p, byte[] message) {
    if (ledger == null) {
      provider.process(p, message);
      return;
    }
    double now = Js.now();
    PeerCredit c = p.credit;
    CreditAccount a = account(p, now);
    int verdict = a.receive(message.length, 0, now);
    if (verdict == CreditLedger.CUT_OFF) {
      provider.cutOff(p, a.reason());
      return;
    }
    if (verdict == CreditLedger.OK && c.held.isEmpty()) {
      provider.process(p, message);
      return;
    }
    if (c.heldBytes + (double) message.length > MAX_HELD_BYTES || c.held.size() >= MAX_HELD_MESSAGES) {
      a.cutOff("kept sending while throttled: over " + (MAX_HELD_BYTES >> 10) + " KiB waiting");
      provider.cutOff(p, a.reason());
      return;
    }
    c.held.add(message);
    c.heldBytes += message.length;
    if (verdict == CreditLedger.THROTTLED && now >= c.toldUntil) {
      double wait = Math.min(a.backOffMs(now), MAX_PAUSE_MS);
      c.toldUntil = now + wait;
      provider.sendNow(p, SyncSession.encodeBackoff((int) wait));
    }
    scheduleDrain(p, a, now);
  }

  private void scheduleDrain(Peer p, CreditAccount a, double now) {
    PeerCredit c = p.credit;
    if (c.drainTimer != 0) {
      return;
    }
    double wait = Math.max(0, Math.min(a.backOffMs(now), MAX_PAUSE_MS));
    c.drainTimer = Window.setTimeout(() -> provider.guard(() -> {
      c.drainTimer = 0;
      drain(p);
    }), wait);
  }

  /** Processes held messages in order while the peer is in credit, up to DRAIN_BYTES this task. */
  private void drain(Peer p) {
    PeerCredit c = p.credit;
    int budget = DRAIN_BYTES;
    double now = Js.now();
    CreditAccount a = c.account;
    while (!c.held.isEmpty() && budget > 0 && a.state(now) == CreditLedger.OK) {
      byte[] m = c.held.poll();
      c.heldBytes -= m.length;
      budget -= m.length;
      provider.process(p, m);
      if (provider.peers.get(p.id) != p) {
        return; // dropped meanwhile
      }
      now = Js.now();
    }
    if (!c.held.isEmpty()) {
      scheduleDrain(p, a, now);
    }
  }

  /** After the session handled {@code bytes} bytes from {@code p}: ops, rewards, redundancy, backoff. */
  void processed(Peer p, int bytes, SyncSession s) {
    int type = s.lastType();
    if (type == SyncSession.BACKOFF) {
      pause(p, s.backoffMs());
    }
    if (ledger == null) {
      return;
    }
    double now = Js.now();
    PeerCredit c = p.credit;
    CreditAccount a = account(p, now);
    int ops = s.lastOps();
    if (ops > 0) {
      a.chargeOps(ops, now);
    }
    if (type == SyncSession.UPDATE || type == SyncSession.SYNC_STEP2) {
      int fresh = Math.min(s.lastNewOps(), ops);
      int newBytes = ops == 0 ? 0 : (int) ((double) bytes * fresh / ops);
      if (fresh > 0) {
        a.useful(newBytes, fresh, now);
      }
      if (fresh < ops) {
        a.redundant(bytes - newBytes, ops - fresh, now);
      }
      if (type == SyncSession.SYNC_STEP2 && c.asked > 0) {
        c.asked--;
        a.served(bytes, now);
      }
    }
  }

  /** A message from {@code p} that did not decode. */
  void malformed(Peer p, String why) {
    if (ledger == null) {
      return;
    }
    double now = Js.now();
    CreditAccount a = account(p, now);
    a.malformed(why, now);
    if (a.reason() != null) {
      provider.cutOff(p, a.reason());
    }
  }

  // ---- outgoing ----

  /** Returns the ops of a message we send (0 with accounting off): what {@code opsOut} counts. */
  int opsOf(byte[] message) {
    if (ledger == null || message.length == 0) {
      return 0;
    }
    int type = message[0];
    if (type != SyncSession.UPDATE && type != SyncSession.SYNC_STEP2 && type != SyncSession.AWARENESS) {
      return 0;
    }
    try {
      Decoder d = new Decoder(message);
      d.readVarUint();
      byte[] payload = d.readVarBytes();
      return type == SyncSession.AWARENESS ? new Decoder(payload).readVarUint() : Updates.opCount(payload);
    } catch (MalformedUpdateException e) {
      return 0;
    }
  }

  /**
   * Counts a message to {@code p} ({@code ops} from {@link #opsOf}) and returns true when it is
   * kept back because the peer asked us to wait; it goes out when the wait is over.
   */
  boolean holdOutgoing(Peer p, byte[] message, int ops) {
    PeerCredit c = p.credit;
    if (ledger != null) {
      account(p, Js.now()).sent(message.length, ops);
      if (message.length > 0 && message[0] == SyncSession.SYNC_STEP1) {
        c.asked++;
      }
    }
    if (c.pausedUntil == 0) {
      return false;
    }
    c.waiting.add(message);
    return true;
  }

  /** The peer asked us to wait {@code ms}: keep its messages back until then. */
  private void pause(Peer p, int ms) {
    PeerCredit c = p.credit;
    double wait = Math.min(ms, MAX_PAUSE_MS);
    if (wait <= 0) {
      return;
    }
    double until = Js.now() + wait;
    if (until <= c.pausedUntil) {
      return;
    }
    c.pausedUntil = until;
    Window.clearTimeout(c.resumeTimer);
    c.resumeTimer = Window.setTimeout(() -> provider.guard(() -> resume(p)), wait);
  }

  /** The wait is over: sends what was kept back, the updates merged into one. */
  private void resume(Peer p) {
    PeerCredit c = p.credit;
    c.resumeTimer = 0;
    c.pausedUntil = 0;
    if (provider.peers.get(p.id) != p) {
      return;
    }
    ArrayList<byte[]> updates = new ArrayList<>();
    byte[][] out = c.waiting.toArray(new byte[0][]);
    c.waiting.clear();
    for (byte[] m : out) {
      if (m.length > 0 && m[0] == SyncSession.UPDATE) {
        Decoder d = new Decoder(m);
        d.readVarUint();
        updates.add(d.readVarBytes()); // our own message: well formed
      } else {
        provider.sendNow(p, m);
      }
    }
    if (updates.size() == 1) {
      provider.sendNow(p, SyncSession.encodeUpdate(updates.get(0)));
    } else if (!updates.isEmpty()) {
      provider.sendNow(p, SyncSession.encodeUpdate(Updates.merge(updates.toArray(new byte[0][]))));
    }
  }

  // ---- peers ----

  /** Returns true while {@code pid} is refused after a cut-off. */
  boolean isBanned(String pid) {
    Double until = banned.get(pid);
    if (until == null) {
      return false;
    }
    if (Js.now() < until) {
      return true;
    }
    banned.remove(pid);
    return false;
  }

  /** Refuses {@code pid} for {@link #banMs} from now. */
  void ban(String pid) {
    banned.put(pid, Js.now() + banMs);
  }

  /** The peer is gone: its timers stop, its queues and account go. */
  void removed(Peer p) {
    PeerCredit c = p.credit;
    Window.clearTimeout(c.drainTimer);
    Window.clearTimeout(c.resumeTimer);
    c.drainTimer = 0;
    c.resumeTimer = 0;
    c.held.clear();
    c.heldBytes = 0;
    c.waiting.clear();
    if (ledger != null) {
      ledger.remove(p.id);
    }
  }
}
