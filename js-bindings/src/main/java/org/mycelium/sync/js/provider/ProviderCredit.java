package org.mycelium.sync.js.provider;

import java.util.HashMap;
import java.util.Map;
import org.mycelium.sync.CreditGate;
import org.mycelium.sync.CreditLedger;
import org.mycelium.sync.CreditPolicy;
import org.teavm.jso.browser.Window;

/**
 * The provider's credit: one {@link CreditLedger} with an account per remote peer, each peer's
 * {@link CreditGate} (the rules, without I/O, in wasm-core), the timers the gates ask for, and
 * the peers refused after a cut-off. Every whole message from a peer passes {@link #receive};
 * every message to a peer passes {@link #holdOutgoing}. Queues and timers are per peer, so an
 * honest peer's messages never wait behind a flooder's; held messages are processed at most
 * {@link #DRAIN_BYTES} per task so that other peers' messages interleave.
 */
final class ProviderCredit {
  static final int DRAIN_BYTES = 1 << 20; // held bytes processed per task

  private final Provider provider;
  final CreditLedger ledger; // null when accounting is off
  final double banMs; // how long a cut-off peer is refused
  private final Map<String, Double> banned = new HashMap<>(); // provider id -> refused until

  ProviderCredit(Provider provider, CreditPolicy policy, double banMs) {
    this.provider = provider;
    this.ledger = policy == null ? null : new CreditLedger(policy);
    this.banMs = banMs;
  }

  /** Returns the peer's gate, made on first use. */
  CreditGate gate(Peer p) {
    PeerCredit c = p.credit;
    if (c.gate == null) {
      c.gate = new CreditGate(ledger == null ? null : ledger.account(p.id, Js.now()));
    }
    return c.gate;
  }

  // ---- incoming ----

  /** A whole message from {@code p}: processes it now, holds it, or drops the peer. */
  void receive(Peer p, byte[] message) {
    CreditGate g = gate(p);
    double now = Js.now();
    switch (g.arrive(message, now)) {
      case CreditGate.PROCESS:
        provider.process(p, message);
        break;
      case CreditGate.HELD: {
        byte[] backoff = g.backoffMessage(now);
        if (backoff != null) {
          provider.sendNow(p, backoff);
        }
        scheduleDrain(p, g, now);
        break;
      }
      default:
        provider.cutOff(p, g.reason());
    }
  }

  private void scheduleDrain(Peer p, CreditGate g, double now) {
    PeerCredit c = p.credit;
    if (c.drainTimer == 0) {
      c.drainTimer = Window.setTimeout(() -> provider.guard(() -> {
        c.drainTimer = 0;
        drain(p, g);
      }), g.drainDelayMs(now));
    }
  }

  /** Processes held messages in order while the peer is in credit, up to DRAIN_BYTES this task. */
  private void drain(Peer p, CreditGate g) {
    int budget = DRAIN_BYTES;
    byte[] m;
    while (budget > 0 && (m = g.nextHeld(Js.now())) != null) {
      budget -= m.length;
      provider.process(p, m);
      if (provider.peers.get(p.id) != p) {
        return; // dropped meanwhile
      }
    }
    if (g.heldCount() > 0) {
      scheduleDrain(p, g, Js.now());
    }
  }

  /** After {@code p}'s session handled {@code bytes} bytes: ops, rewards, redundancy; a backoff pauses our sending. */
  void processed(Peer p, int bytes) {
    double pause = gate(p).processed(bytes, p.session, Js.now());
    if (pause > 0) {
      PeerCredit c = p.credit;
      Window.clearTimeout(c.resumeTimer);
      c.resumeTimer = Window.setTimeout(() -> provider.guard(() -> {
        c.resumeTimer = 0;
        if (provider.peers.get(p.id) == p) {
          for (byte[] out : c.gate.resume()) {
            provider.sendNow(p, out);
          }
        }
      }), pause);
    }
  }

  /** A message or frame from {@code p} that did not decode: the penalty, and the cut-off at the limit. */
  void malformed(Peer p, String why) {
    CreditGate g = gate(p);
    if (g.malformed(why, Js.now())) {
      provider.cutOff(p, g.reason());
    }
  }

  // ---- outgoing ----

  /** Returns the ops of a message we send (0 with accounting off). */
  int opsOf(byte[] message) {
    return ledger == null ? 0 : CreditGate.opsOf(message);
  }

  /** Counts a message to {@code p}; returns true when it is kept back because the peer asked us to wait. */
  boolean holdOutgoing(Peer p, byte[] message, int ops) {
    return gate(p).holdOutgoing(message, ops, Js.now());
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

  /** The peer is gone: its timers stop, its account goes. */
  void removed(Peer p) {
    PeerCredit c = p.credit;
    Window.clearTimeout(c.drainTimer);
    Window.clearTimeout(c.resumeTimer);
    c.drainTimer = 0;
    c.resumeTimer = 0;
    c.gate = null;
    if (ledger != null) {
      ledger.remove(p.id);
    }
  }
}
