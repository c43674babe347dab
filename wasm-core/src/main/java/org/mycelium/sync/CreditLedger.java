package org.mycelium.sync;

import java.util.Arrays;
import java.util.HashMap;

/**
 * The credit book of one replica or server: a {@link CreditAccount} per remote peer, all under
 * one {@link CreditPolicy}. No I/O, no clock: every call that depends on time takes the host's
 * current time in milliseconds (any origin, such as {@code performance.now()}).
 *
 * <p>The rules, in short (docs/CREDIT.md has them in full, with the reasoning). Receiving costs
 * credits by message, byte and op. The balance refills at a fixed rate up to a cap, and content
 * that was new to us, or that answered a request, earns credits back. Redundant content costs a
 * multiple; malformed messages and protocol violations cost a penalty each. A peer in debt is
 * throttled: the host holds or drops its messages and tells it to back off until the refill has
 * paid the debt. A peer that keeps sending in debt for too long or too deep, or that commits too
 * many violations, is cut off with a reason; the cut-off is final for the account.
 */
public final class CreditLedger {
  /** State and verdict: the peer is in credit; process its messages. */
  public static final int OK = 0;
  /** State and verdict: the peer is in debt; hold or drop its messages and tell it to back off. */
  public static final int THROTTLED = 1;
  /** State and verdict: the peer kept flooding; drop everything and disconnect it. */
  public static final int CUT_OFF = 2;

  private final CreditPolicy policy;
  private final HashMap<String, CreditAccount> accounts = new HashMap<>(); // by peer id

  /** Creates an empty ledger whose accounts follow {@code policy}. */
  public CreditLedger(CreditPolicy policy) {
    if (policy == null) {
      throw new IllegalArgumentException("policy is null");
    }
    this.policy = policy;
  }

  /** Returns the name of a state: {@code "ok"}, {@code "throttled"} or {@code "cut-off"}. */
  public static String stateName(int state) {
    switch (state) {
      case OK:
        return "ok";
      case THROTTLED:
        return "throttled";
      case CUT_OFF:
        return "cut-off";
      default:
        throw new IllegalArgumentException("no credit state " + state);
    }
  }

  /** Returns the policy of every account in this ledger. */
  public CreditPolicy policy() {
    return policy;
  }

  /** Returns the account of {@code peer}, opening it with the starting balance at {@code nowMs} if new. */
  public CreditAccount account(String peer, double nowMs) {
    if (peer == null) {
      throw new IllegalArgumentException("peer id is null");
    }
    CreditAccount a = accounts.get(peer);
    if (a == null) {
      a = new CreditAccount(peer, policy, nowMs);
      accounts.put(peer, a);
    }
    return a;
  }

  /** Returns the account of {@code peer}, or null if it has none. */
  public CreditAccount find(String peer) {
    return accounts.get(peer);
  }

  /** Forgets {@code peer}'s account (the peer disconnected); returns whether it had one. */
  public boolean remove(String peer) {
    return accounts.remove(peer) != null;
  }

  /** Returns the number of accounts. */
  public int size() {
    return accounts.size();
  }

  /** Returns the ids of all peers with an account, in ascending order. */
  public String[] peers() {
    String[] ids = accounts.keySet().toArray(new String[0]);
    Arrays.sort(ids);
    return ids;
  }
}
