package org.mycelium.sync;

import java.util.ArrayList;

/**
 * A decoded update: for each client (ascending) its structs in clock order, and a delete set.
 * {@link #decode} checks everything before anything else sees the data; {@link #encode} writes
 * runs in their canonical form (adjacent structs that can be one run are written as one), so
 * that equal contents give equal bytes whatever splits the writer held in memory.
 *
 * <pre>
 * update      := varUint(1) • varUint(n) • clientRun^n • deleteSet
 * clientRun   := varUint(client) • varUint(firstClock) • varUint(m) • struct^m
 * </pre>
 * See PROTOCOL.md (Updates) for the rest of the grammar.
 */
final class UpdateData {
  static final int VERSION = 1;

  final ArrayList<Integer> clients = new ArrayList<>(); // ascending
  final ArrayList<ArrayList<Ref>> runs = new ArrayList<>(); // runs.get(i) belongs to clients.get(i)
  DeleteSet ds = new DeleteSet();

  /** Appends a client's structs (the caller keeps clients ascending). */
  void addClient(int client, ArrayList<Ref> refs) {
    if (!refs.isEmpty()) {
      clients.add(client);
      runs.add(refs);
    }
  }

  /**
   * Returns the ops this update carries, the unit the credit ledger charges: one per struct
   * (a run of characters or values is one struct, skips do not count) and one per delete range.
   */
  int opCount() {
    int n = 0;
    for (ArrayList<Ref> refs : runs) {
      for (Ref r : refs) {
        if (r.kind != Item.SKIP) {
          n++;
        }
      }
    }
    for (int c = 0; c < ds.clientCount(); c++) {
      n += ds.rangesAt(c).n;
    }
    return n;
  }

  /** Decodes and fully checks an update. */
  static UpdateData decode(byte[] bytes) {
    Decoder d = new Decoder(bytes);
    int version = d.readVarUint();
    if (version != VERSION) {
      throw new MalformedUpdateException("unsupported update version " + version, 0);
    }
    UpdateData u = new UpdateData();
    int n = d.readCount(5, "client run");
    int prev = -1;
    for (int i = 0; i < n; i++) {
      int at = d.position();
      int client = d.readVarUint();
      if (client <= prev) {
        throw new MalformedUpdateException("clients not strictly ascending", at);
      }
      prev = client;
      int clock = d.readVarUint();
      int m = d.readCount(2, "struct");
      if (m == 0) {
        throw new MalformedUpdateException("client run without structs", at);
      }
      ArrayList<Ref> refs = new ArrayList<>(m);
      Ref prevRef = null;
      for (int k = 0; k < m; k++) {
        Ref r = Ref.read(d, client, clock, prevRef);
        clock += r.len;
        if (r.kind == Item.TEXT_HOLES) {
          r.expand(refs);
        } else {
          refs.add(r);
        }
        prevRef = r;
      }
      u.addClient(client, refs);
    }
    DeleteSet explicit = DeleteSet.read(d);
    if (!d.isDone()) {
      throw new MalformedUpdateException("trailing bytes after update", d.position());
    }
    u.ds = explicit.combine(u.implicitDeletes(u.runs), false);
    return u;
  }

  /**
   * Returns the ranges that the structs themselves show deleted (garbage and tombstones); the
   * wire leaves them out of the delete set, and reading puts them back.
   */
  DeleteSet implicitDeletes(ArrayList<ArrayList<Ref>> of) {
    DeleteSet out = new DeleteSet();
    for (int i = 0; i < clients.size(); i++) {
      for (Ref r : of.get(i)) {
        if (r.kind == Item.GC || r.kind == Item.DELETED) {
          out.add(clients.get(i), r.clock, r.clock + r.len);
        } else if (r.kind == Item.TEXT_HOLES) {
          for (int h = 0; h < r.nHoles; h++) {
            out.add(clients.get(i), r.clock + r.holes[2 * h], r.clock + r.holes[2 * h] + r.holes[2 * h + 1]);
          }
        }
      }
    }
    return out;
  }

  /** Encodes in canonical form. */
  byte[] encode() {
    Encoder e = new Encoder();
    e.writeVarUint(VERSION);
    e.writeVarUint(clients.size());
    ArrayList<ArrayList<Ref>> out = new ArrayList<>(clients.size());
    for (int i = 0; i < clients.size(); i++) {
      ArrayList<Ref> refs = canonical(runs.get(i));
      out.add(refs);
      e.writeVarUint(clients.get(i));
      e.writeVarUint(refs.get(0).clock);
      e.writeVarUint(refs.size());
      Ref prev = null;
      for (Ref r : refs) {
        r.write(e, prev);
        prev = r;
      }
    }
    ds.combine(implicitDeletes(out), true).write(e);
    return e.toBytes();
  }

  /** Joins adjacent structs that continue each other into single runs; leaves the input alone. */
  static ArrayList<Ref> canonical(ArrayList<Ref> refs) {
    ArrayList<Ref> out = new ArrayList<>(refs.size());
    Ref cur = null;
    StringBuilder sb = null;
    ArrayList<Object> vals = null;
    for (Ref r : refs) {
      if (cur != null && cur.canAppend(r)) {
        if (r.kind == Item.STRING) {
          sb.append((String) r.content);
        } else if (r.kind == Item.JSON) {
          for (Object v : (Object[]) r.content) {
            vals.add(v);
          }
        }
        cur.len += r.len;
        continue;
      }
      if (cur != null && cur.chains(r) && textual(cur.kind) && textual(r.kind)) {
        // text and tombstones that continue each other: one run with holes
        if (cur.kind == Item.DELETED) {
          int n = cur.len;
          cur.len = 0;
          sb = new StringBuilder();
          cur.addHole(n);
        }
        cur.kind = Item.TEXT_HOLES;
        if (r.kind == Item.STRING) {
          sb.append((String) r.content);
          cur.len += r.len;
        } else {
          cur.addHole(r.len);
        }
        continue;
      }
      finish(cur, sb, vals);
      cur = r.copy();
      sb = r.kind == Item.STRING ? new StringBuilder((String) r.content) : null;
      vals = null;
      if (r.kind == Item.JSON) {
        vals = new ArrayList<>();
        for (Object v : (Object[]) r.content) {
          vals.add(v);
        }
      }
      out.add(cur);
    }
    finish(cur, sb, vals);
    return out;
  }

  private static boolean textual(byte kind) {
    return kind == Item.STRING || kind == Item.DELETED || kind == Item.TEXT_HOLES;
  }

  private static void finish(Ref cur, StringBuilder sb, ArrayList<Object> vals) {
    if (cur == null) {
      return;
    }
    if (sb != null) {
      cur.content = sb.toString();
    } else if (vals != null) {
      cur.content = vals.toArray();
    }
  }

}
