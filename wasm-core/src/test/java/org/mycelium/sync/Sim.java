package org.mycelium.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A simulated network of peers for convergence tests. Every step is an {@link Action} (data
 * with a readable form), so a failing run prints its seed and the list of actions that led
 * there. Local ops are checked against a plain model (strings, lists, maps, doubles) at the
 * peer that makes them.
 */
final class Sim {
  /** One step: an op at a peer, or something the network does. */
  static final class Action {
    final String what;
    final int peer;
    final int other;
    final List<Object> path; // the target type: root name, then list indexes / map keys
    final Object[] args;

    Action(String what, int peer, int other, List<Object> path, Object... args) {
      this.what = what;
      this.peer = peer;
      this.other = other;
      this.path = path;
      this.args = args;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(what).append(" p").append(peer);
      if (other >= 0) {
        sb.append(" o").append(other);
      }
      if (path != null) {
        sb.append(" ").append(path);
      }
      for (Object a : args) {
        sb.append(" ").append(a instanceof String ? "'" + a + "'" : a);
      }
      return sb.toString();
    }
  }

  /** A message in flight. */
  static final class Msg {
    final int from;
    final int to;
    final byte[] bytes;

    Msg(int from, int to, byte[] bytes) {
      this.from = from;
      this.to = to;
      this.bytes = bytes;
    }
  }

  static final String NET = "net";
  static final String[] KEYS = {"a", "b", "c", "d", "e"};
  static final String[] CHARS = {"a", "b", "c", "x", "y", "z", " ", "é", "中", "\ud83d\ude00"};

  final Random rnd;
  final Doc[] peers;
  final ArrayList<ArrayList<byte[]>> logs = new ArrayList<>();
  final ArrayList<Msg> net = new ArrayList<>();
  final ArrayList<Action> history = new ArrayList<>();
  final ArrayList<Shadow> shadows = new ArrayList<>();
  final boolean[] keepDeleted; // per peer: no tombstone GC

  Sim(long seed, int n, boolean keepDeleted) {
    this(seed, n, keepDeleted ? 1 : 0);
  }

  /** Mode 0: every peer collects garbage; 1: every peer keeps deleted content; 2: mixed. */
  Sim(long seed, int n, int mode) {
    rnd = new Random(seed);
    keepDeleted = new boolean[n];
    peers = new Doc[n];
    int base = rnd.nextBoolean() ? 0 : rnd.nextInt(1000);
    int top = rnd.nextBoolean() ? 0 : base + 1;
    for (int i = 0; i < n; i++) {
      // ids in mixed order and magnitude, sometimes the extremes 0 and 2^31 - 1
      int id = (i % 2 == 0) ? base + 7 * i : Integer.MAX_VALUE - top - i + 1;
      keepDeleted[i] = mode == 1 || (mode == 2 && rnd.nextBoolean());
      peers[i] = fresh(id, keepDeleted[i]);
      shadows.add(new Shadow(peers[i]));
      ArrayList<byte[]> log = new ArrayList<>();
      logs.add(log);
      final int me = i;
      peers[i].onUpdate((u, origin) -> {
        log.add(u);
        if (origin != NET) {
          for (int j = 0; j < peers.length; j++) {
            if (j != me) {
              net.add(new Msg(me, j, u));
            }
          }
        }
      });
    }
  }

  /** What the observers of one peer's root types have been told, replayed on plain values. */
  static final class Shadow {
    final StringBuilder text = new StringBuilder();
    final ArrayList<Object> list = new ArrayList<>();
    final LinkedHashMap<String, Object> map = new LinkedHashMap<>();
    double counter;

    Shadow(Doc d) {
      d.getText("text").observe(e -> {
        int pos = 0;
        for (Delta x : e.delta()) {
          if (x.op().equals("retain")) {
            pos += x.count();
          } else if (x.op().equals("insert")) {
            text.insert(pos, (String) x.insert());
            pos += x.count();
          } else {
            text.delete(pos, pos + x.count());
          }
        }
      });
      d.getList("list").observe(e -> {
        int pos = 0;
        for (Delta x : e.delta()) {
          if (x.op().equals("retain")) {
            pos += x.count();
          } else if (x.op().equals("insert")) {
            @SuppressWarnings("unchecked")
            List<Object> vals = (List<Object>) x.insert();
            assertEquals(x.count(), vals.size());
            list.addAll(pos, vals);
            pos += x.count();
          } else {
            list.subList(pos, pos + x.count()).clear();
          }
        }
      });
      MapType m = d.getMap("map");
      m.observe(e -> {
        for (Map.Entry<String, KeyChange> en : e.keys().entrySet()) {
          String k = en.getKey();
          String action = en.getValue().action();
          if (!action.equals("add")) {
            assertEquals(map.get(k), en.getValue().oldValue(), "old value of " + k);
          }
          if (action.equals("delete")) {
            map.remove(k);
          } else {
            map.put(k, m.get(k));
          }
        }
      });
      d.getCounter("counter").observe(e -> counter += e.amount());
    }

    void check(Doc d, String who) {
      assertEquals(d.getText("text").toString(), text.toString(), who + ": text observer");
      assertEquals(d.getList("list").toArray(), list, who + ": list observer");
      LinkedHashMap<String, Object> now = new LinkedHashMap<>();
      MapType m = d.getMap("map");
      for (String k : m.keys()) {
        now.put(k, m.get(k));
      }
      assertEquals(now, map, who + ": map observer");
      assertEquals(d.getCounter("counter").value(), counter, who + ": counter observer");
    }
  }

  static Doc fresh(int id, boolean keepDeleted) {
    Doc d = new Doc(id, keepDeleted);
    d.getText("text");
    d.getList("list");
    d.getMap("map");
    d.getCounter("counter");
    return d;
  }

  // ---- generating actions ----

  Action next() {
    int r = rnd.nextInt(100);
    int p = rnd.nextInt(peers.length);
    if (r < 55 || net.isEmpty()) {
      return opAction(p, true);
    }
    if (r < 75) {
      return new Action("deliver", -1, -1, null, rnd.nextInt(net.size()));
    }
    if (r < 80) {
      return new Action("deliverMerged", p, -1, null);
    }
    if (r < 84) {
      return new Action("flush", -1, -1, null);
    }
    if (r < 88) {
      return new Action("shuffle", -1, -1, null, rnd.nextLong());
    }
    if (r < 92) {
      return new Action("duplicate", -1, -1, null, rnd.nextInt(net.size()));
    }
    if (r < 96) {
      return new Action("drop", -1, -1, null, rnd.nextInt(net.size()));
    }
    int q = rnd.nextInt(peers.length);
    return new Action(rnd.nextBoolean() ? "reconnect" : "reconnectDiff", p, q == p ? (q + 1) % peers.length : q, null);
  }

  private Action opAction(int p, boolean allowTxn) {
    Doc d = peers[p];
    ArrayList<List<Object>> paths = new ArrayList<>();
    collect(d, paths);
    List<Object> path = paths.get(rnd.nextInt(paths.size()));
    Object target = resolve(d, path);
    int r = rnd.nextInt(100);
    if (r < 8 && allowTxn) {
      return new Action("txn", p, -1, null, 2 + rnd.nextInt(3));
    }
    if (target instanceof Text) {
      int len = ((Text) target).length();
      if (len > 0 && r < 40) {
        int i = rnd.nextInt(len);
        return new Action("textDelete", p, -1, path, i, 1 + rnd.nextInt(Math.min(4, len - i)));
      }
      StringBuilder s = new StringBuilder();
      int n = 1 + rnd.nextInt(4);
      for (int k = 0; k < n; k++) {
        s.append(CHARS[rnd.nextInt(CHARS.length)]);
      }
      return new Action("textInsert", p, -1, path, rnd.nextInt(len + 1), s.toString());
    }
    if (target instanceof ListType) {
      int len = ((ListType) target).length();
      if (len > 0 && r < 35) {
        int i = rnd.nextInt(len);
        return new Action("listDelete", p, -1, path, i, 1 + rnd.nextInt(Math.min(3, len - i)));
      }
      if (r < 55 && path.size() < 6) {
        String[] kinds = {"map", "list", "text"};
        return new Action("listNested", p, -1, path, rnd.nextInt(len + 1), kinds[rnd.nextInt(3)]);
      }
      ArrayList<Object> vals = new ArrayList<>();
      int n = 1 + rnd.nextInt(3);
      for (int k = 0; k < n; k++) {
        vals.add(value(2));
      }
      return new Action("listInsert", p, -1, path, rnd.nextInt(len + 1), vals);
    }
    if (target instanceof MapType) {
      String key = KEYS[rnd.nextInt(KEYS.length)];
      if (r < 30) {
        return new Action("mapDelete", p, -1, path, key);
      }
      if (r < 50 && path.size() < 6) {
        String[] kinds = {"map", "list", "text"};
        return new Action("mapNested", p, -1, path, key, kinds[rnd.nextInt(3)]);
      }
      return new Action("mapSet", p, -1, path, key, value(2));
    }
    return new Action("increment", p, -1, path, (rnd.nextInt(41) - 20) / 4.0);
  }

  Object value(int depth) {
    int r = rnd.nextInt(depth > 0 ? 9 : 6);
    switch (r) {
      case 0:
        return null;
      case 1:
        return rnd.nextBoolean();
      case 2:
        return (double) (rnd.nextInt(2001) - 1000);
      case 3:
        return rnd.nextInt(1000) / 8.0 + 0.1;
      case 4:
      case 5:
        return CHARS[rnd.nextInt(CHARS.length)] + rnd.nextInt(100);
      case 6:
      case 7: {
        ArrayList<Object> l = new ArrayList<>();
        int n = rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
          l.add(value(depth - 1));
        }
        return l;
      }
      default: {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        int n = rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
          m.put(KEYS[rnd.nextInt(KEYS.length)], value(depth - 1));
        }
        return m;
      }
    }
  }

  static void collect(Doc d, ArrayList<List<Object>> out) {
    for (String root : new String[] {"text", "list", "map", "counter"}) {
      ArrayList<Object> p = new ArrayList<>();
      p.add(root);
      collect(resolve(d, p), p, out);
    }
  }

  private static void collect(Object t, List<Object> path, ArrayList<List<Object>> out) {
    out.add(path);
    if (t instanceof ListType) {
      List<Object> vals = ((ListType) t).toArray();
      for (int i = 0; i < vals.size(); i++) {
        if (vals.get(i) instanceof AbstractType) {
          ArrayList<Object> p = new ArrayList<>(path);
          p.add(i);
          collect(vals.get(i), p, out);
        }
      }
    } else if (t instanceof MapType) {
      for (String k : ((MapType) t).keys()) {
        Object v = ((MapType) t).get(k);
        if (v instanceof AbstractType) {
          ArrayList<Object> p = new ArrayList<>(path);
          p.add(k);
          collect(v, p, out);
        }
      }
    }
  }

  static Object resolve(Doc d, List<Object> path) {
    String root = (String) path.get(0);
    Object t = root.equals("text") ? d.getText(root) : root.equals("list") ? d.getList(root)
        : root.equals("map") ? d.getMap(root) : d.getCounter(root);
    for (int i = 1; i < path.size(); i++) {
      Object step = path.get(i);
      t = step instanceof Integer ? ((ListType) t).get((Integer) step) : ((MapType) t).get((String) step);
    }
    return t;
  }

  // ---- running actions ----

  void run(Action a) {
    history.add(a);
    step(a);
    for (int i = 0; i < peers.length; i++) {
      shadows.get(i).check(peers[i], "peer " + i);
      assertEquals(null, Invariants.check(peers[i]), "peer " + i + ": invariants");
    }
  }

  private void step(Action a) {
    switch (a.what) {
      case "deliver": {
        Msg m = net.remove((int) (Integer) a.args[0]);
        peers[m.to].applyUpdate(m.bytes, NET);
        break;
      }
      case "deliverMerged": {
        ArrayList<byte[]> batch = new ArrayList<>();
        for (int i = net.size() - 1; i >= 0; i--) {
          if (net.get(i).to == a.peer) {
            batch.add(net.remove(i).bytes);
          }
        }
        Collections.reverse(batch);
        if (!batch.isEmpty()) {
          peers[a.peer].applyUpdate(Updates.merge(batch.toArray(new byte[0][])), NET);
        }
        break;
      }
      case "flush":
        flush();
        break;
      case "shuffle":
        Collections.shuffle(net, new Random((Long) a.args[0]));
        break;
      case "duplicate":
        net.add(net.get((Integer) a.args[0]));
        break;
      case "drop":
        net.remove((int) (Integer) a.args[0]);
        break;
      case "reconnect":
        reconnect(a.peer, a.other, false);
        break;
      case "reconnectDiff":
        reconnect(a.peer, a.other, true);
        break;
      case "txn": {
        int n = (Integer) a.args[0];
        Doc d = peers[a.peer];
        d.transact(() -> {
          for (int i = 0; i < n; i++) {
            Action op = opAction(a.peer, false);
            history.add(op);
            runOp(op);
          }
        }, "txn");
        break;
      }
      default:
        runOp(a);
    }
  }

  void flush() {
    while (!net.isEmpty()) {
      Msg m = net.remove(0);
      peers[m.to].applyUpdate(m.bytes, NET);
    }
  }

  /** Both peers send each other what the other lacks, by state vector. */
  void reconnect(int a, int b, boolean viaDiff) {
    for (int k = 0; k < 2; k++) {
      Doc from = peers[k == 0 ? a : b];
      Doc to = peers[k == 0 ? b : a];
      byte[] sv = to.encodeStateVector();
      byte[] u = viaDiff ? Updates.diff(from.encodeStateAsUpdate(null), sv) : from.encodeStateAsUpdate(sv);
      to.applyUpdate(u, NET);
    }
  }

  @SuppressWarnings("unchecked")
  private void runOp(Action a) {
    Doc d = peers[a.peer];
    Object t = resolve(d, a.path);
    Object[] g = a.args;
    switch (a.what) {
      case "textInsert": {
        Text x = (Text) t;
        String before = x.toString();
        int i = (Integer) g[0];
        x.insert(i, (String) g[1]);
        assertEquals(before.substring(0, i) + g[1] + before.substring(i), x.toString(), "model");
        break;
      }
      case "textDelete": {
        Text x = (Text) t;
        String before = x.toString();
        int i = (Integer) g[0];
        int n = (Integer) g[1];
        x.delete(i, n);
        assertEquals(before.substring(0, i) + before.substring(i + n), x.toString(), "model");
        break;
      }
      case "listInsert": {
        ListType x = (ListType) t;
        ArrayList<Object> model = new ArrayList<>(x.toJSON());
        List<Object> vals = (List<Object>) g[1];
        ArrayList<Object> norm = new ArrayList<>();
        for (Object v : vals) {
          norm.add(Json.normalize(v));
        }
        model.addAll((Integer) g[0], norm);
        x.insert((Integer) g[0], vals.toArray());
        assertEquals(model, x.toJSON(), "model");
        break;
      }
      case "listDelete": {
        ListType x = (ListType) t;
        ArrayList<Object> model = new ArrayList<>(x.toJSON());
        int i = (Integer) g[0];
        int n = (Integer) g[1];
        model.subList(i, i + n).clear();
        x.delete(i, n);
        assertEquals(model, x.toJSON(), "model");
        break;
      }
      case "listNested": {
        ListType x = (ListType) t;
        ArrayList<Object> model = new ArrayList<>(x.toJSON());
        int i = (Integer) g[0];
        String kind = (String) g[1];
        model.add(i, emptyJson(kind));
        if (kind.equals("map")) {
          x.insertMap(i);
        } else if (kind.equals("list")) {
          x.insertList(i);
        } else {
          x.insertText(i);
        }
        assertEquals(model, x.toJSON(), "model");
        break;
      }
      case "mapSet": {
        MapType x = (MapType) t;
        Map<String, Object> model = new LinkedHashMap<>(x.toJSON());
        model.put((String) g[0], Json.normalize(g[1]));
        x.set((String) g[0], g[1]);
        assertEquals(model, x.toJSON(), "model");
        break;
      }
      case "mapDelete": {
        MapType x = (MapType) t;
        Map<String, Object> model = new LinkedHashMap<>(x.toJSON());
        model.remove((String) g[0]);
        x.delete((String) g[0]);
        assertEquals(model, x.toJSON(), "model");
        break;
      }
      case "mapNested": {
        MapType x = (MapType) t;
        Map<String, Object> model = new LinkedHashMap<>(x.toJSON());
        String kind = (String) g[1];
        model.put((String) g[0], emptyJson(kind));
        if (kind.equals("map")) {
          x.setMap((String) g[0]);
        } else if (kind.equals("list")) {
          x.setList((String) g[0]);
        } else {
          x.setText((String) g[0]);
        }
        assertEquals(model, x.toJSON(), "model");
        break;
      }
      case "increment": {
        Counter x = (Counter) t;
        double before = x.value();
        x.increment((Double) g[0]);
        assertEquals(before + (Double) g[0], x.value(), "model");
        break;
      }
      default:
        throw new IllegalStateException(a.what);
    }
  }

  private static Object emptyJson(String kind) {
    return kind.equals("map") ? Map.of() : kind.equals("list") ? List.of() : "";
  }

  // ---- the end state ----

  /** Delivers everything, resyncs every pair, then checks that all replicas (and rebuilt ones) agree. */
  void settleAndCheck() {
    flush();
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < peers.length; i++) {
        for (int j = i + 1; j < peers.length; j++) {
          reconnect(i, j, false);
        }
      }
      flush();
    }
    // Values, state vectors and deletions agree everywhere. Bytes agree among peers that collect
    // garbage, and among peers that keep deleted content when all of them do (a keeping peer
    // that heard of a run only after a collecting peer dropped its content cannot have it).
    Doc[] refOfMode = new Doc[2];
    boolean allKeep = true;
    for (int i = peers.length - 1; i >= 0; i--) {
      refOfMode[keepDeleted[i] ? 1 : 0] = peers[i];
      allKeep &= keepDeleted[i];
    }
    for (int i = 0; i < peers.length; i++) {
      Doc ref = keepDeleted[i] && !allKeep ? null : refOfMode[keepDeleted[i] ? 1 : 0];
      byte[] refState = ref == null ? null : ref.encodeStateAsUpdate(null);
      check(peers[0], ref, refState, peers[i], "peer " + i);
      shadows.get(i).check(peers[i], "peer " + i);
      Doc rebuilt = fresh(123456789 + i, keepDeleted[i]);
      rebuilt.applyUpdate(Updates.merge(logs.get(i).toArray(new byte[0][])), NET);
      check(peers[0], ref, refState, rebuilt, "rebuilt from the merged log of peer " + i);
    }
  }

  private static void check(Doc first, Doc ref, byte[] refState, Doc d, String who) {
    assertEquals(null, Invariants.check(d), who + ": invariants");
    assertFalse(d.hasPending(), who + ": pending");
    assertEquals(first.toJSON(), d.toJSON(), who + ": JSON");
    assertArrayEquals(first.encodeStateVector(), d.encodeStateVector(), who + ": state vector");
    assertTrue(first.ds.sameAs(d.ds), who + ": delete set");
    if (ref == null) {
      return;
    }
    byte[] mine = d.encodeStateAsUpdate(null);
    if (!java.util.Arrays.equals(refState, mine)) {
      String want = Dump.update(refState);
      String got = Dump.update(mine);
      Dump.save(want, got);
      assertEquals(want, got, who + ": full-state bytes");
    }
    assertArrayEquals(refState, mine, who + ": full-state bytes");
  }
}
