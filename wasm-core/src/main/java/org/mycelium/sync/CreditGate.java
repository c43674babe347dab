package org.mycelium.sync;

import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * One remote peer's credit gate for a host that syncs with it, without I/O, timers or a clock:
 * every whole sync message from the peer passes {@link #arrive} before its {@link SyncSession}
 * sees it, and every message to the peer passes {@link #holdOutgoing} before it is sent. The
 * host passes its time in milliseconds and runs the timers this class asks for.
 *
 * <p>Incoming, by the rules of docs/CREDIT.md. A message is charged by its bytes on arrival.
 * In credit, and with nothing of the peer waiting, the host processes it at once
 * ({@link #PROCESS}). In debt it waits here, in order ({@link #HELD}; charged already, at most
 * {@link #MAX_HELD_BYTES} or {@link #MAX_HELD_MESSAGES}, past which the peer is cut off); the
 * host sends {@link #backoffMessage} (non-null at most once per wait) and calls {@link #nextHeld}
 * after {@link #drainDelayMs}. Once the session has handled a message the host calls
 * {@link #processed}: the message's ops are charged ({@link SyncSession#lastOps()}); of an
 * update or syncStep2, the ops new to the doc ({@link SyncSession#lastNewOps()}) and their share
 * of the bytes are rewarded and the rest is charged as redundant; a syncStep2 that answers a
 * syncStep1 we sent is refunded as served, an unasked one is not. A message that does not
 * decode goes to {@link #malformed}. {@link #CUT_OFF}, or a non-null {@link #reason()}, means:
 * disconnect the peer with that reason.
 *
 * <p>Outgoing. When the peer sends us {@code backoff}, {@link #processed} pauses what we send it
 * (the wait capped at {@link #MAX_PAUSE_MS}): {@link #holdOutgoing} keeps the messages, and
 * {@link #resume} returns them when the wait is over, the updates among them merged into one
 * and placed last.
 *
 * <p>With no account (accounting off) every message is processed at once and nothing is
 * charged, but a received backoff still pauses what we send.
 */
public final class CreditGate {
  /** Verdict of {@link #arrive}: process the message now. */
  public static final int PROCESS = 0;
  /** Verdict of {@link #arrive}: the message waits here; send the backoff, drain later. */
  public static final int HELD = 1;
  /** Verdict of {@link #arrive}: the peer is cut off; disconnect it with {@link #reason()}. */
  public static final int CUT_OFF = 2;

  /** A throttled peer's waiting messages, at most this many bytes. */
  public static final int MAX_HELD_BYTES = 32 << 20;
  /** A throttled peer's waiting messages, at most this many. */
  public static final int MAX_HELD_MESSAGES = 65_536;
  /** The longest wait we ask for or honour. */
  public static final double MAX_PAUSE_MS = 30_000;

  private final CreditAccount account; // null when accounting is off
  private final ArrayDeque<byte[]> held = new ArrayDeque<>(); // received, charged, not processed; in order
  private double heldBytes; // sum of the held messages' lengths
  private double toldUntil; // we told the peer to wait until this time; no new backoff before it
  private int asked; // syncStep1 sent and not answered yet: that many syncStep2 are served, not pushed
  private double pausedUntil; // the peer asked us to wait until this time; 0 when not paused
  private final ArrayList<byte[]> waiting = new ArrayList<>(); // our messages kept back during the pause

  /** Creates the gate of one peer; {@code account} null turns the accounting off. */
  public CreditGate(CreditAccount account) {
    this.account = account;
  }

  /** Returns the peer's account, or null when accounting is off. */
  public CreditAccount account() {
    return account;
  }

  /** Returns why the peer was cut off, or null. */
  public String reason() {
    return account == null ? null : account.reason();
  }

  // ---- incoming ----

  /** A whole message from the peer arrived: charges it and returns {@link #PROCESS}, {@link #HELD} or {@link #CUT_OFF}. */
  public int arrive(byte[] message, double now) {
    if (account == null) {
      return PROCESS;
    }
    int verdict = account.receive(message.length, 0, now);
    if (verdict == CreditLedger.CUT_OFF) {
      held.clear();
      heldBytes = 0;
      return CUT_OFF;
    }
    if (verdict == CreditLedger.OK && held.isEmpty()) {
      return PROCESS;
    }
    if (heldBytes + message.length > MAX_HELD_BYTES || held.size() >= MAX_HELD_MESSAGES) {
      account.cutOff("kept sending while throttled: over " + (MAX_HELD_BYTES >> 10) + " KiB waiting");
      held.clear();
      heldBytes = 0;
      return CUT_OFF;
    }
    held.add(message);
    heldBytes += message.length;
    return HELD;
  }

  /** Returns the backoff message to send the peer now, or null (in credit, or told already for this wait). */
  public byte[] backoffMessage(double now) {
    if (account == null || account.state(now) != CreditLedger.THROTTLED || now < toldUntil) {
      return null;
    }
    double wait = Math.min(account.backOffMs(now), MAX_PAUSE_MS);
    toldUntil = now + wait;
    return SyncSession.encodeBackoff((int) wait);
  }

  /** Returns the ms from {@code now} after which {@link #nextHeld} can give a message (0 in credit). */
  public double drainDelayMs(double now) {
    return account == null ? 0 : Math.min(account.backOffMs(now), MAX_PAUSE_MS);
  }

  /** Returns the next held message to process, or null when none waits or the peer is still in debt. */
  public byte[] nextHeld(double now) {
    if (held.isEmpty() || account == null || account.state(now) != CreditLedger.OK) {
      return null;
    }
    byte[] m = held.poll();
    heldBytes -= m.length;
    return m;
  }

  /** Returns the number of held messages. */
  public int heldCount() {
    return held.size();
  }

  /**
   * The session handled a message of {@code bytes} bytes: charges its ops, rewards what was new
   * or asked for, charges the rest as redundant; a backoff from the peer pauses our sending.
   * Returns the ms until the pause ends when this message started or lengthened one, else 0.
   */
  public double processed(int bytes, SyncSession s, double now) {
    int type = s.lastType();
    double pause = 0;
    if (type == SyncSession.BACKOFF) {
      double wait = Math.min(s.backoffMs(), MAX_PAUSE_MS);
      if (wait > 0 && now + wait > pausedUntil) {
        pausedUntil = now + wait;
        pause = wait;
      }
    }
    if (account == null) {
      return pause;
    }
    int ops = s.lastOps();
    if (ops > 0) {
      account.chargeOps(ops, now);
    }
    if (type == SyncSession.UPDATE || type == SyncSession.SYNC_STEP2) {
      int fresh = Math.min(s.lastNewOps(), ops);
      int newBytes = ops == 0 ? 0 : (int) ((double) bytes * fresh / ops);
      if (fresh > 0) {
        account.useful(newBytes, fresh, now);
      }
      if (fresh < ops) {
        account.redundant(bytes - newBytes, ops - fresh, now);
      }
      if (type == SyncSession.SYNC_STEP2 && asked > 0) {
        asked--;
        account.served(bytes, now);
      }
    }
    return pause;
  }

  /** A message from the peer did not decode: charges the penalty; returns true when that cut it off. */
  public boolean malformed(String why, double now) {
    if (account == null) {
      return false;
    }
    account.malformed(why, now);
    return account.reason() != null;
  }

  // ---- outgoing ----

  /** Returns the ops of a sync message, as {@link SyncSession#lastOps()} counts them; 0 for one that does not decode. */
  public static int opsOf(byte[] message) {
    if (message.length == 0) {
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
   * Counts a message to the peer ({@code ops} from {@link #opsOf}) and returns true when it is
   * kept back because the peer asked us to wait; {@link #resume} gives it back.
   */
  public boolean holdOutgoing(byte[] message, int ops, double now) {
    if (account != null) {
      account.sent(message.length, ops);
      if (message.length > 0 && message[0] == SyncSession.SYNC_STEP1) {
        asked++;
      }
    }
    if (pausedUntil == 0) {
      return false;
    }
    if (now >= pausedUntil) {
      pausedUntil = 0;
      if (waiting.isEmpty()) {
        return false;
      }
    }
    waiting.add(message);
    return true;
  }

  /** Returns true while the peer's backoff keeps our messages back. */
  public boolean isPaused() {
    return pausedUntil != 0;
  }

  /**
   * Ends the pause (call it when its time is up) and returns the messages kept back, in order,
   * except that the updates among them come last, merged into one.
   */
  public byte[][] resume() {
    pausedUntil = 0;
    ArrayList<byte[]> out = new ArrayList<>();
    ArrayList<byte[]> updates = new ArrayList<>();
    for (byte[] m : waiting) {
      if (m.length > 0 && m[0] == SyncSession.UPDATE) {
        Decoder d = new Decoder(m);
        d.readVarUint();
        updates.add(d.readVarBytes());
      } else {
        out.add(m);
      }
    }
    waiting.clear();
    if (updates.size() == 1) {
      out.add(SyncSession.encodeUpdate(updates.get(0)));
    } else if (!updates.isEmpty()) {
      out.add(SyncSession.encodeUpdate(Updates.merge(updates.toArray(new byte[0][]))));
    }
    return out.toArray(new byte[0][]);
  }
}
