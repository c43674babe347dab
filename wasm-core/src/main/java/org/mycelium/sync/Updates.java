package org.mycelium.sync;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * Byte-level helpers that need no document, so that a relay can compact and answer without
 * building one. Each checks its input fully and throws {@link MalformedUpdateException}.
 */
public final class Updates {
  private Updates() {}

  /**
   * Returns the ops an update carries, as the credit ledger counts them: one per struct (a run of
   * characters or values is one) and one per delete range.
   */
  public static int opCount(byte[] update) {
    return UpdateData.decode(update).opCount();
  }

  /**
   * Merges updates into one that a document applies to the same effect as applying them all:
   * the union of their structs (overlaps written once, gaps as skips) and of their delete sets.
   */
  public static byte[] merge(byte[]... updates) {
    if (updates == null) {
      throw new IllegalArgumentException("updates is null");
    }
    UpdateData[] parts = new UpdateData[updates.length];
    for (int i = 0; i < updates.length; i++) {
      parts[i] = UpdateData.decode(updates[i]);
    }
    int total = 0;
    for (UpdateData u : parts) {
      total += u.clients.size();
    }
    int[] all = new int[total];
    int k = 0;
    for (UpdateData u : parts) {
      for (Integer c : u.clients) {
        all[k++] = c;
      }
    }
    Arrays.sort(all);
    UpdateData out = new UpdateData();
    for (int i = 0; i < all.length; i++) {
      if (i > 0 && all[i] == all[i - 1]) {
        continue;
      }
      ArrayList<Ref> refs = new ArrayList<>();
      for (UpdateData u : parts) {
        int at = u.clients.indexOf(all[i]);
        if (at >= 0) {
          for (Ref r : u.runs.get(at)) {
            if (r.kind != Item.SKIP) {
              refs.add(r);
            }
          }
        }
      }
      refs.sort((a, b) -> a.clock != b.clock ? Integer.compare(a.clock, b.clock)
          : a.kind != b.kind ? preference(b) - preference(a) : Integer.compare(b.len, a.len));
      ArrayList<Ref> merged = new ArrayList<>();
      int end = -1;
      for (Ref r : refs) {
        int rEnd = r.clock + r.len;
        if (rEnd <= end) {
          continue;
        }
        if (end >= 0 && r.clock > end) {
          merged.add(new Ref(r.client, end, r.clock - end, Item.SKIP));
        } else if (end >= 0 && r.clock < end) {
          r = r.slice(end - r.clock);
        }
        merged.add(r);
        end = rEnd;
      }
      out.addClient(all[i], merged);
    }
    for (UpdateData u : parts) {
      out.ds.addAll(u.ds);
    }
    return out.encode();
  }

  /** Which of two structs at the same clock a merge keeps: content over tombstone over garbage. */
  private static int preference(Ref r) {
    return r.kind == Item.GC ? 0 : r.kind == Item.DELETED ? 1 : 2;
  }

  /** Returns the part of {@code update} that a holder of {@code stateVector} lacks (the delete set whole). */
  public static byte[] diff(byte[] update, byte[] stateVector) {
    UpdateData u = UpdateData.decode(update);
    StateVector sv = stateVector == null || stateVector.length == 0
        ? new StateVector() : StateVector.decode(stateVector);
    UpdateData out = new UpdateData();
    for (int i = 0; i < u.clients.size(); i++) {
      int from = sv.get(u.clients.get(i));
      ArrayList<Ref> refs = new ArrayList<>();
      for (Ref r : u.runs.get(i)) {
        if (r.clock + r.len <= from) {
          continue;
        }
        if (r.clock < from) {
          r = r.slice(from - r.clock);
        }
        if (refs.isEmpty() && r.kind == Item.SKIP) {
          continue;
        }
        refs.add(r);
      }
      while (!refs.isEmpty() && refs.get(refs.size() - 1).kind == Item.SKIP) {
        refs.remove(refs.size() - 1);
      }
      out.addClient(u.clients.get(i), refs);
    }
    out.ds = u.ds;
    return out.encode();
  }

  /**
   * Returns the state vector a new document would have after applying only {@code update}: for
   * each client whose structs start at clock 0, the end of their first unbroken stretch.
   */
  public static byte[] stateVector(byte[] update) {
    UpdateData u = UpdateData.decode(update);
    StateVector sv = new StateVector();
    for (int i = 0; i < u.clients.size(); i++) {
      ArrayList<Ref> refs = u.runs.get(i);
      if (refs.get(0).clock != 0) {
        continue;
      }
      int end = 0;
      for (Ref r : refs) {
        if (r.kind == Item.SKIP) {
          break;
        }
        end = r.clock + r.len;
      }
      if (end > 0) {
        sv.set(u.clients.get(i), end);
      }
    }
    return sv.encode();
  }
}
