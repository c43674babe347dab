package org.mycelium.sync;

/**
 * The sync protocol with one remote peer, without I/O: the host hands in received messages and
 * sends what comes back. Two steps bring two replicas level, then updates flow as they happen.
 *
 * <pre>
 * message    := syncStep1 | syncStep2 | update | awareness | backoff | ack
 * syncStep1  := varUint(0) • varByteArray(stateVector)       "here is what I have"
 * syncStep2  := varUint(1) • varByteArray(update)            "here is what you lacked"
 * update     := varUint(2) • varByteArray(update)            a local transaction, as it happens
 * awareness  := varUint(3) • varByteArray(awarenessUpdate)   presence
 * backoff    := varUint(4) • varUint(waitMs)                 "you are out of credit: wait"
 * ack        := varUint(5) • varByteArray(stateVector)       "your update is stored durably"
 * </pre>
 *
 * An ack is sent only by a peer that stores (the dev server's room keeper), and only to peers
 * that asked for it: one per syncStep2 or update received, in order, once what it carried is
 * durable; its state vector is the storer's after the write. Receiving one counts it
 * ({@link #acks()}) and changes nothing else. Types above 5 are malformed.
 *
 * On open each side sends syncStep1 (and its awareness); each answers a syncStep1 with a
 * syncStep2. A session is synced once it has applied the peer's syncStep2. Updates applied
 * here carry the session as their origin, so the host can avoid echoing them back to the
 * peer they came from.
 */
public final class SyncSession {
  /** Message types. */
  public static final int SYNC_STEP1 = 0;
  public static final int SYNC_STEP2 = 1;
  public static final int UPDATE = 2;
  public static final int AWARENESS = 3;
  public static final int BACKOFF = 4;
  public static final int ACK = 5;

  private final Doc doc;
  private final Awareness awareness; // may be null: no presence on this session
  private boolean synced; // the peer's syncStep2 has been applied
  private int backoffMs; // the last back-off the peer asked for
  private Awareness.Change lastAwareness; // what the last awareness message changed
  private int acks; // acks received since the session was created
  private byte[] ackedStateVector; // the state vector of the last ack, null before one
  private int lastType = -1; // type of the last message received, -1 before any
  private int lastOps; // ops the last received message carried (UpdateData.opCount, awareness entries)
  private int lastNewOps; // of those, ops that were new to the doc (updates only)

  /** Creates a session that syncs {@code doc} (and {@code awareness}, may be null) with one peer. */
  public SyncSession(Doc doc, Awareness awareness) {
    if (doc == null) {
      throw new IllegalArgumentException("doc is null");
    }
    this.doc = doc;
    this.awareness = awareness;
  }

  /** Returns the messages to send when the connection opens: syncStep1, and the awareness states. */
  public byte[][] open() {
    synced = false;
    byte[] step1 = encode(SYNC_STEP1, doc.encodeStateVector());
    if (awareness == null) {
      return new byte[][] {step1};
    }
    return new byte[][] {step1, encode(AWARENESS, awareness.encodeAll())};
  }

  /** Returns true once the peer's state has been received and applied. */
  public boolean isSynced() {
    return synced;
  }

  /** Returns the back-off the peer last asked for, in milliseconds (0 when none). */
  public int backoffMs() {
    return backoffMs;
  }

  /** Returns how many acks the peer has sent: each says one syncStep2 or update of ours is stored. */
  public int acks() {
    return acks;
  }

  /** Returns the state vector of the peer's last ack (what it had stored then), or null. */
  public byte[] ackedStateVector() {
    return ackedStateVector;
  }

  /** Returns what the last received awareness message changed, or null. */
  public Awareness.Change lastAwarenessChange() {
    return lastAwareness;
  }

  /** Returns the type of the last message {@link #receive} handled, or -1 before any. */
  public int lastType() {
    return lastType;
  }

  /**
   * Returns the ops the last received message carried: for an update or syncStep2 one per
   * struct and one per delete range, for awareness one per client entry, 0 otherwise. This is
   * what a host charges to the peer's credit after decoding.
   */
  public int lastOps() {
    return lastOps;
  }

  /**
   * Returns how many of {@link #lastOps()} were new to the doc (an update or syncStep2 only):
   * structs past our state and delete ranges that deleted something not yet deleted. Equal to
   * {@code lastOps()} for content we lacked, 0 for a redundant update.
   */
  public int lastNewOps() {
    return lastNewOps;
  }

  /** Wraps a local update for this peer. */
  public static byte[] encodeUpdate(byte[] update) {
    return encode(UPDATE, update);
  }

  /** Wraps an awareness update. */
  public static byte[] encodeAwareness(byte[] awarenessUpdate) {
    return encode(AWARENESS, awarenessUpdate);
  }

  /** Builds the message that asks the peer to wait {@code waitMs} before sending more. */
  public static byte[] encodeBackoff(int waitMs) {
    Encoder e = new Encoder();
    e.writeVarUint(BACKOFF);
    e.writeVarUint(Math.max(0, waitMs));
    return e.toBytes();
  }

  /** Builds the ack a storing peer sends once a received syncStep2 or update is durable. */
  public static byte[] encodeAck(byte[] stateVector) {
    if (stateVector == null) {
      throw new IllegalArgumentException("stateVector is null");
    }
    return encode(ACK, stateVector);
  }

  /** Returns the type of a message, or -1 when it is not one. */
  public static int typeOf(byte[] message) {
    try {
      return new Decoder(message).readVarUint();
    } catch (MalformedUpdateException e) {
      return -1;
    }
  }

  private static byte[] encode(int type, byte[] payload) {
    Encoder e = new Encoder();
    e.writeVarUint(type);
    e.writeVarBytes(payload);
    return e.toBytes();
  }

  /**
   * Handles one message from the peer and returns the replies to send (often none). Throws
   * MalformedUpdateException for a malformed message, an unknown type or a bad payload; the
   * doc and the awareness are unchanged then.
   */
  public byte[][] receive(byte[] message, double now) {
    Decoder d = new Decoder(message);
    lastType = -1;
    lastOps = 0;
    lastNewOps = 0;
    int type = d.readVarUint();
    lastAwareness = null;
    if (type == BACKOFF) {
      int wait = d.readVarUint();
      expectEnd(d);
      backoffMs = wait;
      lastType = type;
      return new byte[0][];
    }
    if (type > ACK) {
      throw new MalformedUpdateException("unknown sync message type " + type, 0);
    }
    byte[] payload = d.readVarBytes();
    expectEnd(d);
    if (type == ACK) {
      StateVector.decode(payload); // checked, so a bad one throws and counts nothing
      acks++;
      ackedStateVector = payload;
      lastType = type;
      return new byte[0][];
    }
    byte[][] replies = new byte[0][];
    switch (type) {
      case SYNC_STEP1:
        replies = new byte[][] {encode(SYNC_STEP2, doc.encodeStateAsUpdate(payload))};
        break;
      case SYNC_STEP2:
      case UPDATE: {
        UpdateData u = UpdateData.decode(payload);
        int ops = u.opCount();
        lastNewOps = doc.apply(u, this);
        lastOps = ops;
        synced |= type == SYNC_STEP2;
        break;
      }
      default: // AWARENESS
        if (awareness != null) {
          lastAwareness = awareness.applyUpdate(payload, now);
          lastOps = new Decoder(payload).readVarUint();
        }
        break;
    }
    lastType = type;
    return replies;
  }

  private static void expectEnd(Decoder d) {
    if (!d.isDone()) {
      throw new MalformedUpdateException("trailing bytes after sync message", d.position());
    }
  }
}
