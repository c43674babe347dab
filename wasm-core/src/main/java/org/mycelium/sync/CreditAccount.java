package org.mycelium.sync;

/**
 * One remote peer's credit in a {@link CreditLedger}: its balance, whether it is ok, throttled
 * or cut off, and its traffic counters. The host reports what the peer did, always with the
 * current time in milliseconds; the account never reads a clock.
 *
 * <p>The order of calls for one received message: {@link #receive} on arrival (it charges the
 * message and says what to do with it); then, for a message that was processed, {@link #useful}
 * for the part that was new to us, {@link #redundant} for the part we already had, {@link #served}
 * when it answered a request; or {@link #malformed} / {@link #violation} when it was bad. See
 * docs/CREDIT.md for the rules and the reasoning behind the default rates.
 */
public final class CreditAccount {
  private final String peer;
  private final CreditPolicy policy;
  private double balance; // credits at lastMs, never above policy.capacity()
  private double lastMs; // host time of the last refill; never goes back
  private boolean inDebt; // true from the charge that took balance below 0 until it refilled
  private double debtSinceMs; // when the current stretch in debt began; meaningful while inDebt
  private String cutOffReason; // null until cut off; once set it stays

  private double messagesIn;
  private double bytesIn;
  private double opsIn;
  private double messagesOut;
  private double bytesOut;
  private double opsOut;
  private double newBytes;
  private double newOps;
  private double servedBytes;
  private int held; // messages received while throttled
  private int rejected; // messages refused: cut off, malformed or violating
  private int redundant; // messages that carried nothing new
  private int violations; // malformed messages plus protocol violations

  CreditAccount(String peer, CreditPolicy policy, double nowMs) {
    this.peer = peer;
    this.policy = policy;
    this.balance = policy.initialBalance();
    this.lastMs = checkTime(nowMs);
  }

  private static double checkTime(double nowMs) {
    if (nowMs != nowMs || nowMs == Double.POSITIVE_INFINITY || nowMs == Double.NEGATIVE_INFINITY) {
      throw new IllegalArgumentException("time must be a finite number of milliseconds");
    }
    return nowMs;
  }

  private static void checkCount(int n, String what) {
    if (n < 0) {
      throw new IllegalArgumentException(what + " must be >= 0, got " + n);
    }
  }

  /** Refills the balance for the time since the last call; time going back is ignored. */
  private void advance(double nowMs) {
    checkTime(nowMs);
    if (nowMs > lastMs) {
      balance += policy.refillPerSecond() * (nowMs - lastMs) / 1000;
      if (balance > policy.capacity()) {
        balance = policy.capacity();
      }
      lastMs = nowMs;
    }
    if (balance >= 0) {
      inDebt = false;
    }
  }

  private void charge(double credits, double nowMs) {
    balance -= credits;
    if (balance < 0 && !inDebt) {
      inDebt = true;
      debtSinceMs = nowMs;
    }
  }

  private void credit(double credits) {
    balance += credits;
    if (balance > policy.capacity()) {
      balance = policy.capacity();
    }
    if (balance >= 0) {
      inDebt = false;
    }
  }

  /**
   * Records a message of {@code bytes} bytes and {@code ops} ops (0 when not known yet) that
   * arrived at {@code nowMs}, charges it, and returns what to do with it:
   * {@link CreditLedger#OK} (process it), {@link CreditLedger#THROTTLED} (the peer is in debt:
   * hold the message or drop it, and tell the sender to back off for {@link #backOffMs}), or
   * {@link CreditLedger#CUT_OFF} (drop it and disconnect with {@link #reason()}).
   *
   * <p>A message that arrives in credit is always accepted, however large, even if it takes the
   * balance far below zero; a message that arrives in debt cuts the peer off when the stretch in
   * debt has lasted {@link CreditPolicy#maxThrottledMs()} or when it takes the debt past
   * {@link CreditPolicy#debtFloor()}.
   */
  public int receive(int bytes, int ops, double nowMs) {
    checkCount(bytes, "bytes");
    checkCount(ops, "ops");
    advance(nowMs);
    messagesIn++;
    bytesIn += bytes;
    opsIn += ops;
    if (cutOffReason != null) {
      rejected++;
      return CreditLedger.CUT_OFF;
    }
    boolean wasInDebt = balance < 0;
    if (wasInDebt && nowMs - debtSinceMs >= policy.maxThrottledMs()) {
      cutOffReason = "kept sending while throttled for " + wholeSeconds(nowMs - debtSinceMs) + " s";
      rejected++;
      return CreditLedger.CUT_OFF;
    }
    charge(policy.costPerMessage() + bytes * policy.costPerByte() + ops * policy.costPerOp(), nowMs);
    if (!wasInDebt) {
      return CreditLedger.OK;
    }
    if (balance < -policy.debtFloor()) {
      cutOffReason = "kept sending while throttled: debt over " + (int) (policy.debtFloor() / 1024) + " KiB";
      rejected++;
      return CreditLedger.CUT_OFF;
    }
    held++;
    return CreditLedger.THROTTLED;
  }

  private static int wholeSeconds(double ms) {
    return (int) (ms / 1000);
  }

  /**
   * Charges {@code ops} ops that were only counted once the message was decoded (a message
   * received with {@code ops} 0). Does not change the message count.
   */
  public void chargeOps(int ops, double nowMs) {
    checkCount(ops, "ops");
    advance(nowMs);
    opsIn += ops;
    charge(ops * policy.costPerOp(), nowMs);
  }

  /**
   * Rewards content that was new to us: {@code bytes} bytes and {@code ops} ops of an update
   * that changed our state get {@link CreditPolicy#newReward()} times their cost back, up to
   * the capacity.
   */
  public void useful(int bytes, int ops, double nowMs) {
    checkCount(bytes, "bytes");
    checkCount(ops, "ops");
    advance(nowMs);
    newBytes += bytes;
    newOps += ops;
    if (cutOffReason == null) {
      credit(policy.newReward() * (bytes * policy.costPerByte() + ops * policy.costPerOp()));
    }
  }

  /**
   * Rewards {@code bytes} bytes that answered a request, such as the state a late joiner asked
   * for, with {@link CreditPolicy#servedReward()} credits a byte, up to the capacity.
   */
  public void served(int bytes, double nowMs) {
    checkCount(bytes, "bytes");
    advance(nowMs);
    servedBytes += bytes;
    if (cutOffReason == null) {
      credit(policy.servedReward() * bytes * policy.costPerByte());
    }
  }

  /**
   * Charges the extra for {@code bytes} bytes and {@code ops} ops that we already had, so that
   * redundant content costs {@link CreditPolicy#redundantMultiplier()} times its normal price in
   * all, and counts one redundant message.
   */
  public void redundant(int bytes, int ops, double nowMs) {
    checkCount(bytes, "bytes");
    checkCount(ops, "ops");
    advance(nowMs);
    redundant++;
    charge((policy.redundantMultiplier() - 1) * (bytes * policy.costPerByte() + ops * policy.costPerOp()), nowMs);
  }

  /**
   * Records a message that could not be decoded: charges {@link CreditPolicy#malformedPenalty()},
   * counts it as rejected and as a violation, and cuts the peer off at
   * {@link CreditPolicy#maxViolations()}; {@code why} goes into the reason.
   */
  public void malformed(String why, double nowMs) {
    penalise(policy.malformedPenalty(), "malformed", why, nowMs);
  }

  /**
   * Records a well-formed message that broke the protocol (an unknown type, a room not joined,
   * a limit exceeded): charges {@link CreditPolicy#violationPenalty()}, counts it as rejected and
   * as a violation, and cuts the peer off at {@link CreditPolicy#maxViolations()}.
   */
  public void violation(String why, double nowMs) {
    penalise(policy.violationPenalty(), "violations", why, nowMs);
  }

  private void penalise(double penalty, String kind, String why, double nowMs) {
    advance(nowMs);
    rejected++;
    violations++;
    charge(penalty, nowMs);
    if (cutOffReason == null && violations >= policy.maxViolations()) {
      cutOffReason = violations + " " + kind + ", last: " + why;
    }
  }

  /** Cuts the peer off for a reason of the host's own; a peer already cut off keeps its reason. */
  public void cutOff(String reason) {
    if (cutOffReason == null) {
      cutOffReason = reason == null || reason.isEmpty() ? "cut off" : reason;
    }
  }

  /** Counts a message of {@code bytes} bytes and {@code ops} ops sent to the peer. */
  public void sent(int bytes, int ops) {
    checkCount(bytes, "bytes");
    checkCount(ops, "ops");
    messagesOut++;
    bytesOut += bytes;
    opsOut += ops;
  }

  private double balanceAt(double nowMs) {
    checkTime(nowMs);
    double b = balance;
    if (nowMs > lastMs) {
      b += policy.refillPerSecond() * (nowMs - lastMs) / 1000;
      if (b > policy.capacity()) {
        b = policy.capacity();
      }
    }
    return b;
  }

  /** Returns the balance at {@code nowMs}, refill included; negative is debt. */
  public double balance(double nowMs) {
    return balanceAt(nowMs);
  }

  /** Returns {@link CreditLedger#OK}, {@link CreditLedger#THROTTLED} or {@link CreditLedger#CUT_OFF} at {@code nowMs}. */
  public int state(double nowMs) {
    if (cutOffReason != null) {
      return CreditLedger.CUT_OFF;
    }
    return balanceAt(nowMs) < 0 ? CreditLedger.THROTTLED : CreditLedger.OK;
  }

  /**
   * Returns how many ms from {@code nowMs} the peer should wait before sending again: 0 in
   * credit, the whole ms (rounded up) the refill takes to pay off the debt when throttled, and
   * positive infinity once cut off.
   */
  public double backOffMs(double nowMs) {
    if (cutOffReason != null) {
      return Double.POSITIVE_INFINITY;
    }
    double b = balanceAt(nowMs);
    // Whole ms, rounded up: a host that waits exactly this long finds the peer in credit.
    return b >= 0 ? 0 : Math.ceil(-b / policy.refillPerSecond() * 1000);
  }

  /** Returns why the peer was cut off, or null while it is not. */
  public String reason() {
    return cutOffReason;
  }

  /** Returns the peer's id in its ledger. */
  public String peer() {
    return peer;
  }

  /** Returns the policy this account follows. */
  public CreditPolicy policy() {
    return policy;
  }

  /** Returns the number of messages received from the peer. */
  public double messagesIn() {
    return messagesIn;
  }

  /** Returns the number of bytes received from the peer. */
  public double bytesIn() {
    return bytesIn;
  }

  /** Returns the number of ops received from the peer. */
  public double opsIn() {
    return opsIn;
  }

  /** Returns the number of messages sent to the peer. */
  public double messagesOut() {
    return messagesOut;
  }

  /** Returns the number of bytes sent to the peer. */
  public double bytesOut() {
    return bytesOut;
  }

  /** Returns the number of ops sent to the peer. */
  public double opsOut() {
    return opsOut;
  }

  /** Returns the bytes of content the peer sent that were new to us. */
  public double newBytes() {
    return newBytes;
  }

  /** Returns the ops the peer sent that were new to us. */
  public double newOps() {
    return newOps;
  }

  /** Returns the bytes the peer sent in answer to requests. */
  public double servedBytes() {
    return servedBytes;
  }

  /** Returns the number of messages that arrived while the peer was throttled. */
  public int held() {
    return held;
  }

  /** Returns the number of messages refused: after the cut-off, malformed or violating. */
  public int rejected() {
    return rejected;
  }

  /** Returns the number of messages that carried nothing new. */
  public int redundant() {
    return redundant;
  }

  /** Returns the number of malformed messages plus protocol violations. */
  public int violations() {
    return violations;
  }
}
