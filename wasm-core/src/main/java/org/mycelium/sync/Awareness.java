package org.mycelium.sync;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Presence: each client's small JSON state (cursor, name, colour) with a clock, outside the
 * document's history. A client's state is dropped when nothing renews it within the timeout;
 * the owner renews it every half timeout. The host passes time in (milliseconds, any epoch)
 * and carries the updates; the state itself is opaque UTF-8 JSON text, never parsed here.
 *
 * <pre>
 * awarenessUpdate := varUint(n) • (varUint(client) • varUint(clock) • varByteArray(state))^n
 * </pre>
 * An empty state means "removed". A state replaces the known one when its clock is higher, or
 * when the clock is equal and it is a removal (so that a removal wins over a renewal race).
 */
public final class Awareness {
  /** Milliseconds after which a state that was not renewed is dropped. */
  public static final double TIMEOUT_MS = 30_000;

  private static final byte[] REMOVED = new byte[0];

  /** What one client's entry holds. */
  private static final class Entry {
    int clock;
    byte[] state; // REMOVED when the client left
    double seen; // host time of the last update

    Entry(int clock, byte[] state, double seen) {
      this.clock = clock;
      this.state = state;
      this.seen = seen;
    }
  }

  /** The clients an update or a timeout added, updated and removed, each sorted. */
  public static final class Change {
    private final int[] added;
    private final int[] updated;
    private final int[] removed;

    Change(int[] added, int[] updated, int[] removed) {
      this.added = added;
      this.updated = updated;
      this.removed = removed;
    }

    /** Returns the clients that appeared. */
    public int[] added() {
      return added.clone();
    }

    /** Returns the clients whose state changed. */
    public int[] updated() {
      return updated.clone();
    }

    /** Returns the clients that left or timed out. */
    public int[] removed() {
      return removed.clone();
    }

    /** Returns true when nothing changed. */
    public boolean isEmpty() {
      return added.length + updated.length + removed.length == 0;
    }
  }

  private final int clientId;
  private final Map<Integer, Entry> entries = new HashMap<>(); // every client ever seen

  /** Creates the awareness of client {@code clientId}, with no local state yet. */
  public Awareness(int clientId) {
    this.clientId = clientId;
  }

  /** Returns this replica's client id. */
  public int clientId() {
    return clientId;
  }

  /**
   * Sets this client's state ({@code null} to leave) and returns the update to broadcast.
   * {@code stateJson} is UTF-8 JSON text.
   */
  public byte[] setLocalState(byte[] stateJson, double now) {
    Entry e = entries.get(clientId);
    byte[] state = stateJson == null || stateJson.length == 0 ? REMOVED : stateJson.clone();
    if (e == null) {
      entries.put(clientId, new Entry(0, state, now));
    } else {
      e.clock++;
      e.state = state;
      e.seen = now;
    }
    return encode(new int[] {clientId});
  }

  /** Returns this client's state, or null when it has none. */
  public byte[] getLocalState() {
    return getState(clientId);
  }

  /** Returns a client's state (UTF-8 JSON), or null when it has none. */
  public byte[] getState(int client) {
    Entry e = entries.get(client);
    return e == null || e.state == REMOVED ? null : e.state.clone();
  }

  /** Returns the clients that currently have a state, sorted. */
  public int[] clients() {
    int[] out = new int[entries.size()];
    int n = 0;
    for (Map.Entry<Integer, Entry> e : entries.entrySet()) {
      if (e.getValue().state != REMOVED) {
        out[n++] = e.getKey();
      }
    }
    out = Arrays.copyOf(out, n);
    Arrays.sort(out);
    return out;
  }

  /** Encodes the entries of {@code clients} (known ones only) as an update. */
  public byte[] encode(int[] clients) {
    int[] sorted = clients.clone();
    Arrays.sort(sorted);
    Encoder enc = new Encoder();
    int n = 0;
    for (int c : sorted) {
      if (entries.containsKey(c)) {
        n++;
      }
    }
    enc.writeVarUint(n);
    for (int c : sorted) {
      Entry e = entries.get(c);
      if (e != null) {
        enc.writeVarUint(c);
        enc.writeVarUint(e.clock);
        enc.writeVarBytes(e.state);
      }
    }
    return enc.toBytes();
  }

  /** Encodes every client that has a state, for a peer that just connected. */
  public byte[] encodeAll() {
    return encode(clients());
  }

  /**
   * Applies an update from a peer. The whole update is decoded and checked before any entry
   * changes; a malformed one throws MalformedUpdateException and changes nothing. An update
   * about this client itself is ignored unless it removes a state we no longer hold.
   */
  public Change applyUpdate(byte[] update, double now) {
    Decoder d = new Decoder(update);
    int n = d.readCount(3, "awareness entry");
    int[] clients = new int[n];
    int[] clocks = new int[n];
    byte[][] states = new byte[n][];
    for (int i = 0; i < n; i++) {
      clients[i] = d.readVarUint();
      clocks[i] = d.readVarUint();
      states[i] = d.readVarBytes();
    }
    if (!d.isDone()) {
      throw new MalformedUpdateException("trailing bytes after awareness update", d.position());
    }
    IntList added = new IntList();
    IntList updated = new IntList();
    IntList removed = new IntList();
    for (int i = 0; i < n; i++) {
      int c = clients[i];
      if (c == clientId) {
        continue; // our own state is ours to set
      }
      byte[] state = states[i].length == 0 ? REMOVED : states[i];
      Entry e = entries.get(c);
      if (e == null) {
        entries.put(c, new Entry(clocks[i], state, now));
        if (state != REMOVED) {
          added.add(c);
        }
      } else if (clocks[i] > e.clock || (clocks[i] == e.clock && state == REMOVED && e.state != REMOVED)) {
        boolean was = e.state != REMOVED;
        boolean changed = !Arrays.equals(e.state, state);
        e.clock = clocks[i];
        e.state = state;
        e.seen = now;
        if (state == REMOVED) {
          if (was) {
            removed.add(c);
          }
        } else if (!was) {
          added.add(c);
        } else if (changed) {
          updated.add(c);
        }
      }
    }
    return new Change(added.sorted(), updated.sorted(), removed.sorted());
  }

  /**
   * Drops the states of other clients not renewed within {@link #TIMEOUT_MS}, and returns the
   * renewal of the local state when half the timeout has passed since it was last sent (null
   * otherwise). The host calls this every few seconds.
   */
  public byte[] tick(double now, IntList removedOut) {
    for (Map.Entry<Integer, Entry> me : entries.entrySet()) {
      Entry e = me.getValue();
      if (me.getKey() != clientId && e.state != REMOVED && now - e.seen >= TIMEOUT_MS) {
        e.state = REMOVED;
        removedOut.add(me.getKey());
      }
    }
    Entry self = entries.get(clientId);
    if (self != null && self.state != REMOVED && now - self.seen >= TIMEOUT_MS / 2) {
      self.clock++;
      self.seen = now;
      return encode(new int[] {clientId});
    }
    return null;
  }

  /** Marks clients as gone (their connection closed); returns the ones that had a state. */
  public int[] removeClients(int[] clients) {
    IntList removed = new IntList();
    for (int c : clients) {
      Entry e = entries.get(c);
      if (c != clientId && e != null && e.state != REMOVED) {
        e.state = REMOVED;
        removed.add(c);
      }
    }
    return removed.sorted();
  }
}
