package org.mycelium.sync;

import java.util.Arrays;

/**
 * What a replica has seen: for each client, the next clock it has not seen. Kept as two
 * parallel arrays sorted by client, so that encoding is deterministic and lookup is a binary
 * search. Client ids are below 2^31 here; see ARCHITECTURE.md for the id space.
 */
public final class StateVector {
  private static final int[] NONE = new int[0]; // shared while empty (length 0, never written)
  private int[] clients = NONE; // sorted ascending, first size entries used
  private int[] clocks = NONE; // clocks[i] is the next unseen clock of clients[i]
  private int size;

  /** Returns the next clock not seen from {@code client}, 0 when the client is unknown. */
  public int get(int client) {
    int i = Arrays.binarySearch(clients, 0, size, client);
    return i >= 0 ? clocks[i] : 0;
  }

  /** Returns true when {@code client} has an entry. */
  boolean has(int client) {
    return Arrays.binarySearch(clients, 0, size, client) >= 0;
  }

  /** Sets the next unseen clock of {@code client}. */
  public void set(int client, int clock) {
    if (client < 0 || clock < 0) {
      throw new IllegalArgumentException("negative client or clock");
    }
    int i = Arrays.binarySearch(clients, 0, size, client);
    if (i >= 0) {
      clocks[i] = clock;
      return;
    }
    i = -i - 1;
    if (size == clients.length) {
      clients = Arrays.copyOf(clients, Math.max(4, size * 2));
      clocks = Arrays.copyOf(clocks, Math.max(4, size * 2));
    }
    System.arraycopy(clients, i, clients, i + 1, size - i);
    System.arraycopy(clocks, i, clocks, i + 1, size - i);
    clients[i] = client;
    clocks[i] = clock;
    size++;
  }

  /** Returns the number of clients known. */
  public int size() {
    return size;
  }

  /** Returns the client at sorted position {@code i}. */
  public int clientAt(int i) {
    return clients[i];
  }

  /** Returns the clock at sorted position {@code i}. */
  public int clockAt(int i) {
    return clocks[i];
  }

  /** Writes {@code count • (client • clock)*} in ascending client order. */
  public void write(Encoder e) {
    e.writeVarUint(size);
    for (int i = 0; i < size; i++) {
      e.writeVarUint(clients[i]);
      e.writeVarUint(clocks[i]);
    }
  }

  /** Returns the encoded bytes of this state vector. */
  public byte[] encode() {
    Encoder e = new Encoder();
    write(e);
    return e.toBytes();
  }

  /** Reads a state vector, rejecting duplicate or unsorted clients. */
  public static StateVector read(Decoder d) {
    int n = d.readCount(2, "state vector entry");
    StateVector sv = new StateVector();
    int prev = -1;
    for (int i = 0; i < n; i++) {
      int at = d.position();
      int client = d.readVarUint();
      int clock = d.readVarUint();
      if (client <= prev) {
        throw new MalformedUpdateException("state vector clients not strictly ascending", at);
      }
      prev = client;
      sv.set(client, clock);
    }
    return sv;
  }

  /** Decodes a state vector from bytes that hold nothing else. */
  public static StateVector decode(byte[] bytes) {
    Decoder d = new Decoder(bytes);
    StateVector sv = read(d);
    if (!d.isDone()) {
      throw new MalformedUpdateException("trailing bytes after state vector", d.position());
    }
    return sv;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof StateVector)) {
      return false;
    }
    StateVector other = (StateVector) o;
    return size == other.size
        && Arrays.equals(clients, 0, size, other.clients, 0, size)
        && Arrays.equals(clocks, 0, size, other.clocks, 0, size);
  }

  @Override
  public int hashCode() {
    int h = size;
    for (int i = 0; i < size; i++) {
      h = 31 * h + clients[i] * 17 + clocks[i];
    }
    return h;
  }
}
