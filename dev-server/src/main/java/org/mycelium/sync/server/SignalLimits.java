package org.mycelium.sync.server;

import org.mycelium.sync.CreditPolicy;

/**
 * The limits of the {@code /signal} endpoint, immutable; {@link #defaults()} gives the values
 * docs/SIGNALING.md documents, {@link #builder()} changes any of them (tests use small ones).
 */
public final class SignalLimits {
  private final int maxTextBytes; // a larger text frame gets error too-big and is dropped
  private final int maxBinaryBytes; // a larger binary frame gets error too-big and is dropped
  private final int hardLimitFactor; // frames over factor * max are refused by Jetty: close 1009
  private final int maxRooms; // rooms one connection may be in at once
  private final int maxPeersPerRoom; // connections one room may hold
  private final int maxRoomLength; // characters in a room name
  private final int pingIntervalMs; // advertised: how often a quiet client should send ping
  private final int pingTimeoutMs; // closed 4001 after this long without any message
  private final int idleTimeoutMs; // closed 4001 after this long in no room
  private final int closeGraceMs; // a closed client that does not answer is disconnected after this
  private final int maxQueuedFrames; // frames queued to a slow reader before it is dropped
  private final int maxQueuedBytes; // bytes queued to a slow reader before it is dropped
  private final CreditPolicy credit; // the ledger policy of every connection

  private SignalLimits(Builder b) {
    maxTextBytes = b.maxTextBytes;
    maxBinaryBytes = b.maxBinaryBytes;
    hardLimitFactor = b.hardLimitFactor;
    maxRooms = b.maxRooms;
    maxPeersPerRoom = b.maxPeersPerRoom;
    maxRoomLength = b.maxRoomLength;
    pingIntervalMs = b.pingIntervalMs;
    pingTimeoutMs = b.pingTimeoutMs;
    idleTimeoutMs = b.idleTimeoutMs;
    closeGraceMs = b.closeGraceMs;
    maxQueuedFrames = b.maxQueuedFrames;
    maxQueuedBytes = b.maxQueuedBytes;
    credit = b.credit;
  }

  /**
   * Returns the defaults: text frames up to 64 KiB, binary up to 1 MiB (4 times that closes),
   * 16 rooms a connection, 64 peers a room, room names up to 256 characters, ping every 20 s,
   * closed after 60 s without a message or 60 s in no room, 2 s for a closed client to answer
   * the close, a slow reader dropped past 4096
   * frames or 16 MiB queued to it, and the default credit policy.
   */
  public static SignalLimits defaults() {
    return new Builder().build();
  }

  /** Returns a builder that starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the largest text frame, in UTF-8 bytes, that is read. */
  public int maxTextBytes() {
    return maxTextBytes;
  }

  /** Returns the largest binary frame, in bytes, that is read. */
  public int maxBinaryBytes() {
    return maxBinaryBytes;
  }

  /** Returns the factor over the limits past which the WebSocket layer closes with 1009. */
  public int hardLimitFactor() {
    return hardLimitFactor;
  }

  /** Returns how many rooms one connection may be in at once. */
  public int maxRooms() {
    return maxRooms;
  }

  /** Returns how many connections one room may hold. */
  public int maxPeersPerRoom() {
    return maxPeersPerRoom;
  }

  /** Returns the longest room name, in characters. */
  public int maxRoomLength() {
    return maxRoomLength;
  }

  /** Returns how often a quiet client should send {@code ping}, in ms (told in the welcome). */
  public int pingIntervalMs() {
    return pingIntervalMs;
  }

  /** Returns how long a connection may send nothing before it is closed, in ms. */
  public int pingTimeoutMs() {
    return pingTimeoutMs;
  }

  /** Returns how long a connection may stay in no room before it is closed, in ms. */
  public int idleTimeoutMs() {
    return idleTimeoutMs;
  }

  /** Returns how long a client may take to answer the server's close before it is disconnected, in ms. */
  public int closeGraceMs() {
    return closeGraceMs;
  }

  /** Returns how many frames may wait to go out to one connection before it is dropped. */
  public int maxQueuedFrames() {
    return maxQueuedFrames;
  }

  /** Returns how many bytes may wait to go out to one connection before it is dropped. */
  public int maxQueuedBytes() {
    return maxQueuedBytes;
  }

  /** Returns the credit policy of every connection. */
  public CreditPolicy credit() {
    return credit;
  }

  /** Collects the values of {@link SignalLimits}; every setter checks its argument. */
  public static final class Builder {
    private int maxTextBytes = 64 * 1024;
    private int maxBinaryBytes = 1024 * 1024;
    private int hardLimitFactor = 4;
    private int maxRooms = 16;
    private int maxPeersPerRoom = 64;
    private int maxRoomLength = 256;
    private int pingIntervalMs = 20_000;
    private int pingTimeoutMs = 60_000;
    private int idleTimeoutMs = 60_000;
    private int closeGraceMs = 2000;
    private int maxQueuedFrames = 4096;
    private int maxQueuedBytes = 16 * 1024 * 1024;
    private CreditPolicy credit = CreditPolicy.defaults();

    private Builder() {}

    private static int atLeast(int v, int min, String name) {
      if (v < min) {
        throw new IllegalArgumentException(name + " must be >= " + min + ", got " + v);
      }
      return v;
    }

    /** Sets the largest text frame in bytes (>= 256). */
    public Builder maxTextBytes(int v) {
      maxTextBytes = atLeast(v, 256, "maxTextBytes");
      return this;
    }

    /** Sets the largest binary frame in bytes (>= 256). */
    public Builder maxBinaryBytes(int v) {
      maxBinaryBytes = atLeast(v, 256, "maxBinaryBytes");
      return this;
    }

    /** Sets the factor over the limits past which the WebSocket layer closes (>= 1). */
    public Builder hardLimitFactor(int v) {
      hardLimitFactor = atLeast(v, 1, "hardLimitFactor");
      return this;
    }

    /** Sets the rooms one connection may be in (>= 1). */
    public Builder maxRooms(int v) {
      maxRooms = atLeast(v, 1, "maxRooms");
      return this;
    }

    /** Sets the connections one room may hold (>= 2). */
    public Builder maxPeersPerRoom(int v) {
      maxPeersPerRoom = atLeast(v, 2, "maxPeersPerRoom");
      return this;
    }

    /** Sets the longest room name in characters (>= 1). */
    public Builder maxRoomLength(int v) {
      maxRoomLength = atLeast(v, 1, "maxRoomLength");
      return this;
    }

    /** Sets the advertised ping interval in ms (>= 1). */
    public Builder pingIntervalMs(int v) {
      pingIntervalMs = atLeast(v, 1, "pingIntervalMs");
      return this;
    }

    /** Sets how long a connection may send nothing, in ms (>= 1). */
    public Builder pingTimeoutMs(int v) {
      pingTimeoutMs = atLeast(v, 1, "pingTimeoutMs");
      return this;
    }

    /** Sets how long a connection may stay in no room, in ms (>= 1). */
    public Builder idleTimeoutMs(int v) {
      idleTimeoutMs = atLeast(v, 1, "idleTimeoutMs");
      return this;
    }

    /** Sets how long a client may take to answer the server's close, in ms (>= 1). */
    public Builder closeGraceMs(int v) {
      closeGraceMs = atLeast(v, 1, "closeGraceMs");
      return this;
    }

    /** Sets how many frames may wait to go out to one connection (>= 16). */
    public Builder maxQueuedFrames(int v) {
      maxQueuedFrames = atLeast(v, 16, "maxQueuedFrames");
      return this;
    }

    /** Sets how many bytes may wait to go out to one connection (>= 64 KiB). */
    public Builder maxQueuedBytes(int v) {
      maxQueuedBytes = atLeast(v, 64 * 1024, "maxQueuedBytes");
      return this;
    }

    /** Sets the credit policy of every connection. */
    public Builder credit(CreditPolicy v) {
      if (v == null) {
        throw new IllegalArgumentException("credit policy is null");
      }
      credit = v;
      return this;
    }

    /** Returns the limits; the hard limits must fit in an int. */
    public SignalLimits build() {
      if ((long) Math.max(maxTextBytes, maxBinaryBytes) * hardLimitFactor > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("hardLimitFactor times the frame limits must fit in an int");
      }
      return new SignalLimits(this);
    }
  }
}
