package org.mycelium.sync;

import java.util.Arrays;

/**
 * Deleted id ranges: for each client, sorted, disjoint, non-adjacent half-open clock ranges
 * {@code [start, end)}. Clients are kept in a sorted array so that encoding is deterministic and
 * lookup is a binary search; each client's ranges are two parallel int arrays.
 */
final class DeleteSet {
  private static final int[] NONE = new int[0]; // shared while empty (length 0, never written)
  private static final Ranges[] NO_RANGES = new Ranges[0];
  private int[] clients = NONE; // sorted ascending, first size used
  private Ranges[] ranges = NO_RANGES; // ranges[i] belongs to clients[i]
  private int size;

  /** One client's ranges. */
  static final class Ranges {
    int[] starts = new int[4]; // ascending
    int[] ends = new int[4]; // ends[i] > starts[i]; ends[i] < starts[i + 1]
    int n;

    /** Index of the first range whose end is at or after {@code clock}. */
    int firstEndingAtOrAfter(int clock) {
      int lo = 0;
      int hi = n;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (ends[mid] < clock) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }
  }

  boolean isEmpty() {
    return size == 0;
  }

  int clientCount() {
    return size;
  }

  int clientAt(int i) {
    return clients[i];
  }

  Ranges rangesAt(int i) {
    return ranges[i];
  }

  /** Returns the ranges of {@code client}, or null. */
  Ranges get(int client) {
    int i = Arrays.binarySearch(clients, 0, size, client);
    return i >= 0 ? ranges[i] : null;
  }

  private Ranges getOrCreate(int client) {
    int i = Arrays.binarySearch(clients, 0, size, client);
    if (i >= 0) {
      return ranges[i];
    }
    i = -i - 1;
    if (size == clients.length) {
      clients = Arrays.copyOf(clients, Math.max(2, size * 2));
      ranges = Arrays.copyOf(ranges, Math.max(2, size * 2));
    }
    System.arraycopy(clients, i, clients, i + 1, size - i);
    System.arraycopy(ranges, i, ranges, i + 1, size - i);
    clients[i] = client;
    Ranges r = new Ranges();
    ranges[i] = r;
    size++;
    return r;
  }

  /** Returns true when the id (client, clock) is deleted. */
  boolean contains(int client, int clock) {
    Ranges r = get(client);
    if (r == null) {
      return false;
    }
    int i = r.firstEndingAtOrAfter(clock + 1);
    return i < r.n && r.starts[i] <= clock;
  }

  /** Adds {@code [start, end)} of {@code client}. */
  void add(int client, int start, int end) {
    addNew(client, start, end, null);
  }

  /**
   * Adds {@code [start, end)} of {@code client} and, when {@code fresh} is not null, adds to it
   * the parts that were not already in this set. Returns true when some part was not.
   */
  boolean addNew(int client, int start, int end, DeleteSet fresh) {
    if (start >= end) {
      return false;
    }
    boolean added = false;
    Ranges r = getOrCreate(client);
    int i = r.firstEndingAtOrAfter(start);
    int j = i;
    int cursor = start;
    int ns = start;
    int ne = end;
    while (j < r.n && r.starts[j] <= end) {
      if (r.starts[j] > cursor) {
        added = true;
        if (fresh != null) {
          fresh.add(client, cursor, r.starts[j]);
        }
      }
      if (r.ends[j] > cursor) {
        cursor = r.ends[j];
      }
      if (r.starts[j] < ns) {
        ns = r.starts[j];
      }
      if (r.ends[j] > ne) {
        ne = r.ends[j];
      }
      j++;
    }
    if (cursor < end) {
      added = true;
      if (fresh != null) {
        fresh.add(client, cursor, end);
      }
    }
    int removed = j - i;
    if (removed == 0) {
      if (r.n == r.starts.length) {
        r.starts = Arrays.copyOf(r.starts, r.n * 2);
        r.ends = Arrays.copyOf(r.ends, r.n * 2);
      }
      System.arraycopy(r.starts, i, r.starts, i + 1, r.n - i);
      System.arraycopy(r.ends, i, r.ends, i + 1, r.n - i);
      r.n++;
    } else if (removed > 1) {
      System.arraycopy(r.starts, j, r.starts, i + 1, r.n - j);
      System.arraycopy(r.ends, j, r.ends, i + 1, r.n - j);
      r.n -= removed - 1;
    }
    r.starts[i] = ns;
    r.ends[i] = ne;
    return added;
  }

  /**
   * Returns a new set: this one with the ranges of {@code other} added ({@code subtract} false)
   * or taken away ({@code subtract} true). Linear in the sizes of both.
   */
  DeleteSet combine(DeleteSet other, boolean subtract) {
    DeleteSet out = new DeleteSet();
    int i = 0;
    int j = 0;
    while (i < size || j < other.size) {
      // (no sentinel values: 2^31 - 1 is a valid client)
      if (i < size && (j >= other.size || clients[i] < other.clients[j])) {
        out.copyRanges(clients[i], ranges[i++]);
      } else if (i >= size || other.clients[j] < clients[i]) {
        if (!subtract) {
          out.copyRanges(other.clients[j], other.ranges[j]);
        }
        j++;
      } else {
        int ca = clients[i];
        Ranges a = ranges[i++];
        Ranges b = other.ranges[j++];
        if (subtract) {
          out.minus(ca, a, b);
        } else {
          out.union(ca, a, b);
        }
      }
    }
    return out;
  }

  private void copyRanges(int client, Ranges r) {
    if (r.n == 0) {
      return;
    }
    Ranges c = getOrCreate(client);
    c.starts = Arrays.copyOf(r.starts, Math.max(4, r.n));
    c.ends = Arrays.copyOf(r.ends, Math.max(4, r.n));
    c.n = r.n;
  }

  /** Sets the ranges of {@code client} to the union of {@code a} and {@code b} (both sorted), in linear time. */
  private void union(int client, Ranges a, Ranges b) {
    Ranges c = getOrCreate(client);
    c.starts = new int[Math.max(4, a.n + b.n)];
    c.ends = new int[c.starts.length];
    c.n = 0;
    int i = 0;
    int j = 0;
    while (i < a.n || j < b.n) {
      boolean fromA = j >= b.n || (i < a.n && a.starts[i] <= b.starts[j]);
      int s = fromA ? a.starts[i] : b.starts[j];
      int e = fromA ? a.ends[i++] : b.ends[j++];
      if (c.n > 0 && s <= c.ends[c.n - 1]) {
        if (e > c.ends[c.n - 1]) {
          c.ends[c.n - 1] = e;
        }
      } else {
        c.starts[c.n] = s;
        c.ends[c.n] = e;
        c.n++;
      }
    }
  }

  /** Appends {@code a} minus {@code b} (both sorted and disjoint) as the ranges of {@code client}. */
  private void minus(int client, Ranges a, Ranges b) {
    int k = 0;
    for (int i = 0; i < a.n; i++) {
      int s = a.starts[i];
      int e = a.ends[i];
      while (k < b.n && b.ends[k] <= s) {
        k++;
      }
      int m = k;
      while (s < e) {
        if (m >= b.n || b.starts[m] >= e) {
          add(client, s, e);
          break;
        }
        if (b.starts[m] > s) {
          add(client, s, b.starts[m]);
        }
        s = Math.max(s, b.ends[m]);
        m++;
      }
    }
  }

  /** Adds every range of {@code other}. */
  void addAll(DeleteSet other) {
    for (int c = 0; c < other.size; c++) {
      Ranges r = other.ranges[c];
      for (int k = 0; k < r.n; k++) {
        add(other.clients[c], r.starts[k], r.ends[k]);
      }
    }
  }

  /**
   * Writes {@code count • (client • rangeCount • (gap • length)*)*}, clients ascending, each
   * gap measured from the end of the previous range of that client (from 0 for the first).
   */
  void write(Encoder e) {
    int live = 0;
    for (int i = 0; i < size; i++) {
      if (ranges[i].n > 0) {
        live++;
      }
    }
    e.writeVarUint(live);
    for (int i = 0; i < size; i++) {
      Ranges r = ranges[i];
      if (r.n == 0) {
        continue;
      }
      e.writeVarUint(clients[i]);
      e.writeVarUint(r.n);
      int prev = 0;
      for (int k = 0; k < r.n; k++) {
        e.writeVarUint(r.starts[k] - prev);
        e.writeVarUint(r.ends[k] - r.starts[k]);
        prev = r.ends[k];
      }
    }
  }

  /** Reads what {@link #write} writes, checking order, lengths and clock overflow. */
  static DeleteSet read(Decoder d) {
    DeleteSet ds = new DeleteSet();
    int n = d.readCount(4, "delete set client");
    int prevClient = -1;
    for (int i = 0; i < n; i++) {
      int at = d.position();
      int client = d.readVarUint();
      if (client <= prevClient) {
        throw new MalformedUpdateException("delete set clients not strictly ascending", at);
      }
      prevClient = client;
      int m = d.readCount(2, "delete range");
      if (m == 0) {
        throw new MalformedUpdateException("delete set client without ranges", at);
      }
      int prev = 0;
      for (int k = 0; k < m; k++) {
        int rat = d.position();
        int gap = d.readVarUint();
        int len = d.readVarUint();
        if (len == 0) {
          throw new MalformedUpdateException("empty delete range", rat);
        }
        if (gap > Integer.MAX_VALUE - prev || len > Integer.MAX_VALUE - (prev + gap)) {
          throw new MalformedUpdateException("delete range clock overflows 31 bits", rat);
        }
        int start = prev + gap;
        prev = start + len;
        ds.add(client, start, prev);
      }
    }
    return ds;
  }

  /** Returns true when both sets hold the same ranges. */
  boolean sameAs(DeleteSet o) {
    Encoder a = new Encoder();
    Encoder b = new Encoder();
    write(a);
    o.write(b);
    return Arrays.equals(a.toBytes(), b.toBytes());
  }
}
