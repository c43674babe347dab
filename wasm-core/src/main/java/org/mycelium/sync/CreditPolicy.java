package org.mycelium.sync;

/**
 * The immutable rates, costs, rewards and limits of a {@link CreditLedger}. One credit is the
 * cost of receiving one byte; everything else is priced in the same unit. {@link #defaults()}
 * gives the rates that docs/CREDIT.md explains; {@link #builder()} changes any of them.
 */
public final class CreditPolicy {
  private final double refillPerSecond; // credits added per second of host time, > 0
  private final double capacity; // the balance never rises above this, > 0
  private final double initialSetting; // a new account starts here, 0..capacity; -1: at the capacity
  private final double costPerMessage; // charged once per received message, >= 0
  private final double costPerByte; // charged per received byte, >= 0
  private final double costPerOp; // charged per received op, >= 0
  private final double newReward; // credits back per credit of cost of content new to us, >= 0
  private final double servedReward; // credits back per byte that answered a request, >= 0
  private final double redundantMultiplier; // a redundant message costs this many times its price, >= 1
  private final double malformedPenalty; // charged per malformed message, >= 0
  private final double violationPenalty; // charged per protocol violation, >= 0
  private final double debtFloor; // cut off when a held message takes the debt past this, > 0
  private final double maxThrottledMs; // cut off when still sending after this long in debt, > 0
  private final int maxViolations; // cut off at this many malformed messages plus violations, >= 1

  private CreditPolicy(Builder b) {
    refillPerSecond = b.refillPerSecond;
    capacity = b.capacity;
    initialSetting = b.initialBalance;
    costPerMessage = b.costPerMessage;
    costPerByte = b.costPerByte;
    costPerOp = b.costPerOp;
    newReward = b.newReward;
    servedReward = b.servedReward;
    redundantMultiplier = b.redundantMultiplier;
    malformedPenalty = b.malformedPenalty;
    violationPenalty = b.violationPenalty;
    debtFloor = b.debtFloor;
    maxThrottledMs = b.maxThrottledMs;
    maxViolations = b.maxViolations;
  }

  /**
   * Returns the default policy: 256 KiB/s refill, 8 MiB cap and starting balance, 64 credits a
   * message, 1 a byte, 8 an op, new content refunded 1.25 times its cost, redundant content
   * charged 3 times, 64 KiB per malformed message, 16 KiB per violation, cut off past 64 MiB of
   * debt, after 10 s of sending in debt, or at 10 violations.
   */
  public static CreditPolicy defaults() {
    return new Builder().build();
  }

  /** Returns a builder that starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from this policy's values (a starting balance not set follows the capacity). */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.refillPerSecond = refillPerSecond;
    b.capacity = capacity;
    b.initialBalance = initialSetting;
    b.costPerMessage = costPerMessage;
    b.costPerByte = costPerByte;
    b.costPerOp = costPerOp;
    b.newReward = newReward;
    b.servedReward = servedReward;
    b.redundantMultiplier = redundantMultiplier;
    b.malformedPenalty = malformedPenalty;
    b.violationPenalty = violationPenalty;
    b.debtFloor = debtFloor;
    b.maxThrottledMs = maxThrottledMs;
    b.maxViolations = maxViolations;
    return b;
  }

  /** Returns the credits an account regains per second of host time. */
  public double refillPerSecond() {
    return refillPerSecond;
  }

  /** Returns the highest balance an account can hold. */
  public double capacity() {
    return capacity;
  }

  /** Returns the balance a new account starts with. */
  public double initialBalance() {
    return initialSetting < 0 ? capacity : initialSetting;
  }

  /** Returns the credits charged once for every received message. */
  public double costPerMessage() {
    return costPerMessage;
  }

  /** Returns the credits charged for every received byte. */
  public double costPerByte() {
    return costPerByte;
  }

  /** Returns the credits charged for every received op. */
  public double costPerOp() {
    return costPerOp;
  }

  /** Returns the credits given back per credit that content new to us cost. */
  public double newReward() {
    return newReward;
  }

  /** Returns the credits given back per byte that answered a request (serving a late joiner). */
  public double servedReward() {
    return servedReward;
  }

  /** Returns how many times its normal price a redundant message costs in all. */
  public double redundantMultiplier() {
    return redundantMultiplier;
  }

  /** Returns the credits charged for a malformed message. */
  public double malformedPenalty() {
    return malformedPenalty;
  }

  /** Returns the credits charged for a protocol violation. */
  public double violationPenalty() {
    return violationPenalty;
  }

  /** Returns the debt past which a message received while throttled cuts the peer off. */
  public double debtFloor() {
    return debtFloor;
  }

  /** Returns how long a peer may stay in debt and keep sending before it is cut off. */
  public double maxThrottledMs() {
    return maxThrottledMs;
  }

  /** Returns the count of malformed messages plus violations at which a peer is cut off. */
  public int maxViolations() {
    return maxViolations;
  }

  /** Collects the values of a {@link CreditPolicy}; every setter checks its argument. */
  public static final class Builder {
    private double refillPerSecond = 256 * 1024;
    private double capacity = 8 * 1024 * 1024;
    private double initialBalance = -1; // -1: the capacity
    private double costPerMessage = 64;
    private double costPerByte = 1;
    private double costPerOp = 8;
    private double newReward = 1.25;
    private double servedReward = 1;
    private double redundantMultiplier = 3;
    private double malformedPenalty = 64 * 1024;
    private double violationPenalty = 16 * 1024;
    private double debtFloor = 64 * 1024 * 1024;
    private double maxThrottledMs = 10_000;
    private int maxViolations = 10;

    private Builder() {}

    private static double positive(double v, String name) {
      if (!(v > 0) || v == Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException(name + " must be a positive finite number");
      }
      return v;
    }

    private static double nonNegative(double v, String name) {
      if (!(v >= 0) || v == Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException(name + " must be a finite number >= 0");
      }
      return v;
    }

    /** Sets the credits regained per second (positive). */
    public Builder refillPerSecond(double v) {
      refillPerSecond = positive(v, "refillPerSecond");
      return this;
    }

    /** Sets the highest balance (positive); the starting balance follows it unless set. */
    public Builder capacity(double v) {
      capacity = positive(v, "capacity");
      return this;
    }

    /** Sets the starting balance (0 to the capacity, checked at {@link #build()}). */
    public Builder initialBalance(double v) {
      initialBalance = nonNegative(v, "initialBalance");
      return this;
    }

    /** Sets the cost of each received message (>= 0). */
    public Builder costPerMessage(double v) {
      costPerMessage = nonNegative(v, "costPerMessage");
      return this;
    }

    /** Sets the cost of each received byte (>= 0). */
    public Builder costPerByte(double v) {
      costPerByte = nonNegative(v, "costPerByte");
      return this;
    }

    /** Sets the cost of each received op (>= 0). */
    public Builder costPerOp(double v) {
      costPerOp = nonNegative(v, "costPerOp");
      return this;
    }

    /** Sets the credits given back per credit of cost of content new to us (>= 0). */
    public Builder newReward(double v) {
      newReward = nonNegative(v, "newReward");
      return this;
    }

    /** Sets the credits given back per byte that answered a request (>= 0). */
    public Builder servedReward(double v) {
      servedReward = nonNegative(v, "servedReward");
      return this;
    }

    /** Sets how many times its price a redundant message costs in all (>= 1). */
    public Builder redundantMultiplier(double v) {
      if (!(v >= 1) || v == Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException("redundantMultiplier must be a finite number >= 1");
      }
      redundantMultiplier = v;
      return this;
    }

    /** Sets the penalty for a malformed message (>= 0). */
    public Builder malformedPenalty(double v) {
      malformedPenalty = nonNegative(v, "malformedPenalty");
      return this;
    }

    /** Sets the penalty for a protocol violation (>= 0). */
    public Builder violationPenalty(double v) {
      violationPenalty = nonNegative(v, "violationPenalty");
      return this;
    }

    /** Sets the debt past which a message received while throttled cuts off (positive). */
    public Builder debtFloor(double v) {
      debtFloor = positive(v, "debtFloor");
      return this;
    }

    /** Sets how long a peer may stay in debt and keep sending, in ms (positive). */
    public Builder maxThrottledMs(double v) {
      maxThrottledMs = positive(v, "maxThrottledMs");
      return this;
    }

    /** Sets the count of malformed messages plus violations that cuts off (>= 1). */
    public Builder maxViolations(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("maxViolations must be >= 1, got " + v);
      }
      maxViolations = v;
      return this;
    }

    /** Returns the policy; throws IllegalArgumentException if the start balance exceeds the cap. */
    public CreditPolicy build() {
      if (initialBalance > capacity) {
        throw new IllegalArgumentException("initialBalance must not exceed capacity");
      }
      return new CreditPolicy(this);
    }
  }
}
