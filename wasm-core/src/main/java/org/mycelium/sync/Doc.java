package org.mycelium.sync;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * A replica of a shared document: named root types (text, list, map, counter), the items that
 * make them, the ids deleted so far, and the updates waiting for what they depend on.
 *
 * <h2>Ids and clocks</h2>
 * Every unit of content has an id (client, clock). Clients are non-negative 31-bit ints and
 * clocks are ints, so both are exact JavaScript numbers and no {@code long} or BigInt is needed
 * anywhere on the hot paths; a client that would pass 2^31 - 1 clocks must take a new id. The
 * host supplies the randomness for client ids ({@link #newClientId}).
 *
 * <h2>Sequences: YATA</h2>
 * Text and lists follow YATA (Nicolaescu, Jahns, Derntl, Klamma: "Near Real-Time Peer-to-Peer
 * Shared Editing on Extensible Data Types", GROUP 2016) in the form Yjs uses: each run records
 * its left origin (the unit it was inserted after) and right origin (the unit it was inserted
 * before). A remote run is placed between its origins; runs competing for the same gap are
 * ordered by their origins and then by client id, so that two runs typed concurrently at one
 * place never interleave. Consecutive inserts by one client are one run; a run splits when
 * something lands inside it, and adjacent runs merge again at the end of a transaction.
 *
 * <h2>Maps and counters</h2>
 * A map entry is an item with a key; the entries of one key form a chain ordered by the same
 * rules, and the last one wins (concurrent sets are ordered by client). Counter increments are
 * items too; the value is the sum, per client in clock order, then over clients in ascending
 * order, so every replica adds the same doubles in the same order.
 *
 * <h2>Deletion and garbage</h2>
 * Deleted ids are kept as ranges. By default a deleted run drops its content but keeps its
 * place and origins (later inserts may refer to it); everything inside a deleted nested type
 * becomes garbage that keeps only its id range. {@code keepDeleted} keeps all content.
 *
 * <h2>Updates</h2>
 * An update is decoded and checked completely before anything is integrated, so a malformed one
 * changes nothing. Runs whose origins, parent or earlier clocks are not here yet wait in a
 * pending set and are integrated when those arrive. Integrating never throws: content that
 * cannot live where its origins put it (a foreign kind, too deep, in deleted context) becomes
 * garbage, the same way on every replica.
 */
public final class Doc {
  private final int clientId;
  private final boolean keepDeleted;
  ClientStructs[] store = new ClientStructs[4]; // sorted by client, first storeSize used
  int storeSize;
  private final ClientStructs[] recent = new ClientStructs[8]; // by client & 7: lookups repeat clients
  final DeleteSet ds = new DeleteSet(); // every id known to be deleted, here or not yet
  final HashMap<String, AbstractType> roots = new HashMap<>(); // kind digit + name
  private final HashMap<Integer, ArrayList<Ref>> pending = new HashMap<>(); // client -> refs by clock
  private final ArrayList<UpdateListener> listeners = new ArrayList<>();
  Transaction tx; // the open transaction, null between transactions
  private boolean applying; // integrating remote structs: markers of touched types are dropped
  int seekIndex; // out-value of AbstractType.seek

  /** Creates a replica that writes as {@code clientId} (0 &lt;= clientId &lt; 2^31) and drops deleted content. */
  public Doc(int clientId) {
    this(clientId, false);
  }

  /** Creates a replica; with {@code keepDeleted} deleted content is kept (no tombstone GC). */
  public Doc(int clientId, boolean keepDeleted) {
    if (clientId < 0) {
      throw new IllegalArgumentException("client id must be between 0 and 2^31 - 1");
    }
    this.clientId = clientId;
    this.keepDeleted = keepDeleted;
  }

  /** Returns a valid client id made from the host's randomness. */
  public static int newClientId(IntSupplier random) {
    return random.getAsInt() & 0x7fffffff;
  }

  /** Returns the client id this replica writes as. */
  public int clientId() {
    return clientId;
  }

  /** Returns the root text called {@code name}, creating it when needed. */
  public Text getText(String name) {
    return (Text) root(name, AbstractType.TEXT, true);
  }

  /** Returns the root list called {@code name}, creating it when needed. */
  public ListType getList(String name) {
    return (ListType) root(name, AbstractType.LIST, true);
  }

  /** Returns the root map called {@code name}, creating it when needed. */
  public MapType getMap(String name) {
    return (MapType) root(name, AbstractType.MAP, true);
  }

  /** Returns the root counter called {@code name}, creating it when needed. */
  public Counter getCounter(String name) {
    return (Counter) root(name, AbstractType.COUNTER, true);
  }

  private AbstractType root(String name, int kind, boolean local) {
    if (name == null) {
      throw new IllegalArgumentException("name is null");
    }
    if (local) {
      name = Json.sanitize(name);
    }
    String key = (char) ('0' + kind) + name;
    AbstractType t = roots.get(key);
    if (t != null) {
      return t;
    }
    if (local) {
      for (int k = 0; k <= AbstractType.COUNTER; k++) {
        if (k != kind && roots.containsKey((char) ('0' + k) + name)) {
          throw new IllegalStateException("'" + name + "' is already a shared type of another kind");
        }
      }
    }
    t = newType(kind, name, null, 0);
    roots.put(key, t);
    return t;
  }

  AbstractType newType(int kind, String name, Item item, int depth) {
    switch (kind) {
      case AbstractType.TEXT:
        return new Text(this, name, item, depth);
      case AbstractType.LIST:
        return new ListType(this, name, item, depth);
      case AbstractType.MAP:
        return new MapType(this, name, item, depth);
      default:
        return new Counter(this, name);
    }
  }

  /**
   * Runs {@code fn} as one transaction: observers and update listeners hear of its changes once,
   * when it ends. A transact inside another joins the outer one.
   */
  public void transact(Runnable fn, Object origin) {
    if (fn == null) {
      throw new IllegalArgumentException("fn is null");
    }
    boolean outer = begin(origin, true);
    try {
      fn.run();
    } finally {
      if (outer) {
        end();
      }
    }
  }

  /** Adds a listener for the update of each transaction that changed something; returns its remover. */
  public Runnable onUpdate(UpdateListener l) {
    if (l == null) {
      throw new IllegalArgumentException("listener is null");
    }
    listeners.add(l);
    return () -> listeners.remove(l);
  }

  /** Returns the encoded state vector: for each client, the next clock not seen here. */
  public byte[] encodeStateVector() {
    return stateVector().encode();
  }

  StateVector stateVector() {
    StateVector sv = new StateVector();
    for (int i = 0; i < storeSize; i++) {
      sv.set(store[i].client, store[i].state());
    }
    return sv;
  }

  /**
   * Returns an update with every item the holder of {@code stateVector} lacks and the whole
   * delete set; null or an empty array means everything.
   */
  public byte[] encodeStateAsUpdate(byte[] stateVector) {
    StateVector from = stateVector == null || stateVector.length == 0
        ? new StateVector() : StateVector.decode(stateVector);
    return encodeFrom(from, false, ds);
  }

  private byte[] encodeFrom(StateVector from, boolean onlyListed, DeleteSet deletes) {
    UpdateData u = new UpdateData();
    for (int ci = 0; ci < storeSize; ci++) {
      ClientStructs cs = store[ci];
      int client = cs.client;
      if (onlyListed && !from.has(client)) {
        continue;
      }
      int f = from.get(client);
      if (f >= cs.state()) {
        continue;
      }
      ArrayList<Ref> refs = new ArrayList<>();
      for (int i = cs.find(f); i < cs.size; i++) {
        Item it = cs.items[i];
        Ref r = toRef(it);
        if (it.clock < f) {
          r = r.slice(f - it.clock);
        }
        refs.add(r);
      }
      u.addClient(client, refs);
    }
    u.ds = deletes;
    return u.encode();
  }

  private static Ref toRef(Item it) {
    Ref r = new Ref(it.client, it.clock, it.len, it.kind);
    if (it.kind == Item.GC) {
      return r;
    }
    r.oClient = it.oClient;
    r.oClock = it.oClock;
    r.rClient = it.rClient;
    r.rClock = it.rClock;
    if (it.oClient < 0 && it.rClient < 0) {
      AbstractType p = it.parent;
      if (p.item == null) {
        r.parentKind = p.kind;
        r.parentName = p.name;
      } else {
        r.parentKind = Ref.PARENT_NESTED;
        r.pClient = p.item.client;
        r.pClock = p.item.clock;
      }
      r.parentSub = it.parentSub;
    }
    switch (it.kind) {
      case Item.STRING:
        // a String as it is, a StringBuilder copied (no virtual Object.toString: in TeaVM it
        // would pull every class's toString into the build, Double's formatting included)
        r.content = it.content instanceof String ? (String) it.content : ((StringBuilder) it.content).toString();
        break;
      case Item.TYPE:
        r.content = ((AbstractType) it.content).kind;
        break;
      case Item.DELETED:
        break;
      case Item.JSON:
        r.content = it.parentSub != null ? new Object[] {it.content} : it.content;
        break;
      default:
        r.content = it.content;
        break;
    }
    return r;
  }

  /**
   * Applies an update (from any peer, in any order, any number of times). Items whose
   * dependencies are missing wait until they arrive. A malformed update throws
   * {@link MalformedUpdateException} and changes nothing.
   */
  public void applyUpdate(byte[] update, Object origin) {
    apply(UpdateData.decode(update), origin);
  }

  /**
   * Applies a decoded update and returns how many of its ops were new here: structs that reach
   * past our state of their client (integrated now or left pending) plus delete ranges that
   * added something to our delete set. {@link UpdateData#opCount()} is the total to compare with.
   */
  int apply(UpdateData u, Object origin) {
    int fresh = 0;
    boolean outer = begin(origin, false);
    boolean was = applying;
    applying = true;
    try {
      for (int i = 0; i < u.clients.size(); i++) {
        int client = u.clients.get(i);
        int state = getState(client);
        for (Ref r : u.runs.get(i)) {
          if (r.kind != Item.SKIP && r.clock + r.len > state) {
            fresh++;
          }
        }
        addPending(client, u.runs.get(i));
      }
      integratePending();
      for (int c = 0; c < u.ds.clientCount(); c++) {
        int client = u.ds.clientAt(c);
        DeleteSet.Ranges r = u.ds.rangesAt(c);
        for (int k = 0; k < r.n; k++) {
          if (ds.addNew(client, r.starts[k], r.ends[k], tx.ds)) {
            fresh++;
          }
          deleteExisting(client, r.starts[k], r.ends[k]);
        }
      }
    } finally {
      applying = was;
      if (outer) {
        end();
      }
    }
    return fresh;
  }

  /** Returns true when some received items still wait for items they depend on. */
  public boolean hasPending() {
    return !pending.isEmpty();
  }

  /** Returns the JSON of every root type by name, names in ascending order. */
  public Object toJSON() {
    String[] keys = roots.keySet().toArray(new String[0]);
    Arrays.sort(keys);
    String[] names = new String[keys.length];
    Object[] vals = new Object[keys.length];
    for (int i = 0; i < keys.length; i++) {
      names[i] = keys[i].substring(1);
      vals[i] = roots.get(keys[i]).json();
    }
    return new LinkedHashMap<>(Json.object(names, vals));
  }

  // ---- transactions ----

  /** Opens a transaction unless one is open; returns true when this call opened it. */
  boolean begin(Object origin, boolean local) {
    if (tx != null) {
      return false;
    }
    tx = new Transaction(origin, local);
    return true;
  }

  /** Ends the open transaction: events, garbage collection, merging, then callbacks. */
  void end() {
    Transaction t = tx;
    if (t.added.isEmpty() && t.ds.isEmpty()) {
      tx = null;
      return;
    }
    ArrayList<Object> fire = new ArrayList<>(); // pairs: observer list, event
    for (int i = 0; i < t.changed.size(); i++) {
      AbstractType type = t.changed.get(i);
      if (type.isDead()) {
        continue;
      }
      Event ev = null;
      if (type.observers != null && !type.observers.isEmpty()) {
        ev = Event.of(type, t, t.mapOld.get(i));
        fire.add(type.observers);
        fire.add(ev);
      }
      for (AbstractType up = type; up != null; up = up.holder()) {
        if (up.deepObservers != null && !up.deepObservers.isEmpty()) {
          if (ev == null) {
            ev = Event.of(type, t, t.mapOld.get(i));
          }
          fire.add(up.deepObservers);
          fire.add(ev);
        }
      }
    }
    if (!keepDeleted) {
      for (int i = 0; i < t.deleted.size(); i++) {
        gc(t.deleted.get(i));
      }
    }
    for (int i = 0; i < t.deleted.size(); i++) {
      mergeAround(t.deleted.get(i));
    }
    for (int i = 0; i < t.added.size(); i++) {
      mergeAround(t.added.get(i));
    }
    for (int i = 0; i < t.splits.size(); i++) {
      mergeAround(t.splits.get(i));
    }
    for (AbstractType type : t.changed) {
      type.touchedBy = null; // let the transaction go
      if (type instanceof Counter) {
        ((Counter) type).txItem = null;
      }
    }
    byte[] update = null;
    if (!listeners.isEmpty()) {
      update = encodeFrom(t.before, true, t.ds);
    }
    tx = null;
    // every callback runs even when one throws (a lost update listener call would leave peers
    // behind until they resync); the first exception is rethrown at the end
    RuntimeException failed = null;
    for (int i = 0; i < fire.size(); i += 2) {
      @SuppressWarnings("unchecked")
      ArrayList<Observer> list = (ArrayList<Observer>) fire.get(i);
      Event ev = (Event) fire.get(i + 1);
      for (Observer o : list.toArray(new Observer[0])) {
        try {
          o.onChange(ev);
        } catch (RuntimeException ex) {
          failed = failed == null ? ex : failed;
        }
      }
    }
    if (update != null) {
      for (UpdateListener l : listeners.toArray(new UpdateListener[0])) {
        try {
          l.onUpdate(update, t.origin);
        } catch (RuntimeException ex) {
          failed = failed == null ? ex : failed;
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  // ---- the store ----

  /** Returns the items of {@code client}, or null when none are here. */
  private ClientStructs structsOf(int client) {
    ClientStructs cs = recent[client & 7];
    if (cs != null && cs.client == client) {
      return cs;
    }
    int lo = 0;
    int hi = storeSize - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = store[mid].client;
      if (c < client) {
        lo = mid + 1;
      } else if (c > client) {
        hi = mid - 1;
      } else {
        recent[client & 7] = store[mid];
        return store[mid];
      }
    }
    return null;
  }

  private ClientStructs structs(int client) {
    ClientStructs cs = structsOf(client);
    if (cs == null) {
      cs = new ClientStructs(client);
      int i = 0;
      while (i < storeSize && store[i].client < client) {
        i++;
      }
      if (storeSize == store.length) {
        store = Arrays.copyOf(store, storeSize * 2);
      }
      System.arraycopy(store, i, store, i + 1, storeSize - i);
      store[i] = cs;
      storeSize++;
      recent[client & 7] = cs;
    }
    return cs;
  }

  int getState(int client) {
    ClientStructs cs = structsOf(client);
    return cs == null ? 0 : cs.state();
  }

  /** Returns the item holding an id that is known to be here. */
  Item itemAt(int client, int clock) {
    ClientStructs cs = structsOf(client);
    return cs.items[cs.find(clock)];
  }

  /** Splits {@code it} at {@code off} and files the right part in the store; returns it. */
  Item split(Item it, int off) {
    Item r = it.splitAt(off);
    ClientStructs cs = structsOf(it.client);
    cs.insertAt(cs.find(it.clock) + 1, r);
    if (it.parentSub != null && it.parent != null && it.parent.map.get(it.parentSub) == it) {
      it.parent.map.put(r); // a key's last entry was a tombstone run: its last part stays last
    }
    if (tx != null) {
      if (r.deleted && (r.kind == Item.STRING || r.kind == Item.JSON)) {
        tx.deleted.add(r); // deleted earlier in this transaction: its content is still to drop
      }
      tx.splits.add(r);
    }
    return r;
  }

  private Item cleanEnd(int client, int clock) {
    Item it = itemAt(client, clock);
    if (it.kind != Item.GC && clock < it.lastClock()) {
      split(it, clock - it.clock + 1);
    }
    return it;
  }

  private Item cleanStart(int client, int clock) {
    Item it = itemAt(client, clock);
    if (it.kind != Item.GC && clock > it.clock) {
      return split(it, clock - it.clock);
    }
    return it;
  }

  private void addToStore(Item it) {
    ClientStructs cs = structs(it.client);
    if (!tx.before.has(it.client)) {
      tx.before.set(it.client, cs.state());
    }
    cs.add(it);
    tx.added.add(it);
  }

  // ---- local changes ----

  /** Creates and integrates a local item between {@code left} and {@code right}. */
  Item newLocalItem(byte kind, Object content, int n, AbstractType parent, String sub, Item left, Item right) {
    if (getState(clientId) > Integer.MAX_VALUE - n) {
      throw new IllegalStateException("client clock exhausted: use a new client id");
    }
    Item it = new Item(clientId, getState(clientId), n, kind, content);
    if (left != null) {
      it.oClient = left.client;
      it.oClock = left.lastClock();
    }
    if (right != null) {
      it.rClient = right.client;
      it.rClock = right.clock;
    }
    it.parent = parent;
    it.parentSub = sub;
    integrateItem(it, left, right);
    return it;
  }

  /**
   * Appends {@code n} local code units to {@code left} when that is the same as inserting a new
   * run between {@code left} and {@code right}: left is this replica's newest run, visible text,
   * directly followed by {@code right}, which is also its right origin. Returns false otherwise.
   */
  boolean extendLocal(Item left, Item right, String chars, int n) {
    int state = getState(clientId);
    if (left.client != clientId || left.kind != Item.STRING || left.deleted || left.right != right
        || left.clock + left.len != state || state > Integer.MAX_VALUE - n
        || (right == null ? left.rClient >= 0 : left.rClient != right.client || left.rClock != right.clock)) {
      return false;
    }
    DeleteSet.Ranges named = ds.get(clientId);
    if (named != null && named.n > 0 && named.ends[named.n - 1] > state) {
      return false; // a peer already named clocks we are about to use as deleted
    }
    Transaction t = tx;
    if (!t.before.has(clientId)) {
      t.before.set(clientId, state);
    }
    left.text().append(chars);
    left.len += n;
    t.added.add(left);
    t.touch(left.parent);
    return true;
  }

  // ---- integration ----

  /**
   * Places {@code it} between {@code left} and {@code right} (its resolved origins) by the YATA
   * rules, links it in, files it and updates its parent.
   */
  private void integrateItem(Item it, Item left, Item right) {
    AbstractType p = it.parent;
    Transaction t = tx;
    if (it.kind == Item.COUNTER) {
      addToStore(it);
      ((Counter) p).integrated(it);
      t.touch(p);
      p.counterDelta += (Double) it.content;
      return;
    }
    String sub = it.parentSub;
    Item first = left == null && sub != null ? chainStart(p, sub) : null; // the key's chain, looked up once
    if ((left == null && (right == null || right.left != null)) || (left != null && left.right != right)) {
      Item o = left != null ? left.right : sub != null ? first : p.start;
      ItemSet conflicting = scanConflicting; // reused: integration never nests
      ItemSet before = scanBefore;
      before.clear();
      conflicting.clear();
      while (o != null && o != right) {
        before.add(o);
        conflicting.add(o);
        if (it.oClient == o.oClient && it.oClock == o.oClock) {
          if (o.client < it.client) {
            left = o;
            conflicting.clear();
          } else if (it.rClient == o.rClient && it.rClock == o.rClock) {
            break;
          }
        } else if (o.oClient >= 0 && before.contains(originItem(o))) {
          if (!conflicting.contains(originItem(o))) {
            left = o;
            conflicting.clear();
          }
        } else {
          break;
        }
        o = o.right;
      }
    }
    Item r;
    if (left != null) {
      r = left.right;
      left.right = it;
    } else if (sub != null) {
      r = first; // left stayed null, so the chain is as it was
    } else {
      r = p.start;
      p.start = it;
    }
    it.left = left;
    it.right = r;
    if (r != null) {
      r.left = it;
    }
    addToStore(it);
    t.touch(p);
    if (applying) {
      p.clearMarkers();
    }
    if (sub == null) {
      p.length += it.liveLen();
      p.blockLinked(it);
    } else if (r == null) {
      Item old = left; // appended at the chain's end: the last entry was left (none when the chain was empty)
      t.touchKey(p, sub, old);
      p.map.put(it);
      if (left != null) {
        deleteItem(left);
      }
    } else {
      deleteItem(it);
    }
    if (it.kind == Item.DELETED || p.isDead()) {
      deleteItem(it);
    }
    applyKnownDeletes(it);
  }

  private final ItemSet scanBefore = new ItemSet(); // the conflict scan's sets, kept between items
  private final ItemSet scanConflicting = new ItemSet();

  private Item originItem(Item o) {
    Item l = o.left; // usually the origin itself: no lookup
    if (l != null && l.client == o.oClient && l.clock <= o.oClock && o.oClock < l.clock + l.len) {
      return l;
    }
    ClientStructs cs = structsOf(o.oClient);
    return cs == null || o.oClock >= cs.state() ? null : cs.items[cs.find(o.oClock)];
  }

  private static Item chainStart(AbstractType p, String sub) {
    Item o = p.map.get(sub);
    while (o != null && o.left != null) {
      o = o.left;
    }
    return o;
  }

  /** Deletes the parts of a newly integrated item that the delete set already names. */
  private void applyKnownDeletes(Item it) {
    DeleteSet.Ranges rs = ds.get(it.client);
    if (rs == null) {
      return;
    }
    int end = it.clock + it.len;
    int i = rs.firstEndingAtOrAfter(it.clock + 1);
    int found = 0;
    int[] hits = null;
    for (; i < rs.n && rs.starts[i] < end; i++) {
      if (hits == null) {
        hits = new int[8];
      }
      if (found + 2 > hits.length) {
        hits = Arrays.copyOf(hits, hits.length * 2);
      }
      hits[found++] = Math.max(rs.starts[i], it.clock);
      hits[found++] = Math.min(rs.ends[i], end);
    }
    for (int k = 0; k < found; k += 2) {
      deleteExisting(it.client, hits[k], hits[k + 1]);
    }
    if (found > 0 && it.parent != null) {
      it.parent.clearMarkers(); // even for a local item whose id a peer had already deleted
    }
  }

  /** Deletes the items here that fall in {@code [start, end)} of {@code client}. */
  void deleteExisting(int client, int start, int end) {
    ClientStructs cs = structsOf(client);
    if (cs == null) {
      return;
    }
    end = Math.min(end, cs.state());
    if (start >= end) {
      return;
    }
    int i = cs.find(start);
    while (i < cs.size) {
      Item it = cs.items[i];
      if (it.clock >= end) {
        break;
      }
      if (!it.deleted && it.kind != Item.COUNTER) {
        if (it.clock < start) {
          split(it, start - it.clock);
          i++;
          continue;
        }
        if (it.clock + it.len > end) {
          split(it, end - it.clock);
        }
        deleteItem(it);
      }
      i++;
    }
  }

  /** Marks an item deleted, with everything inside it when it holds a type. */
  void deleteItem(Item it) {
    if (it.deleted || it.kind == Item.COUNTER) {
      return;
    }
    Transaction t = tx;
    AbstractType p = it.parent;
    if (p != null) {
      if (it.parentSub == null) {
        int ll = it.liveLen();
        p.length -= ll;
        if (it.block != null) {
          it.block.live -= ll;
        }
      } else if (p.map.get(it.parentSub) == it) {
        t.touchKey(p, it.parentSub, it);
      }
      t.touch(p);
      if (applying) {
        p.clearMarkers();
      }
    }
    it.deleted = true;
    ds.add(it.client, it.clock, it.clock + it.len);
    t.ds.add(it.client, it.clock, it.clock + it.len);
    t.deleted.add(it);
    if (it.kind == Item.TYPE) {
      AbstractType inner = (AbstractType) it.content;
      inner.clearMarkers();
      if (inner.map != null) {
        for (Item last : inner.map.slots()) {
          for (Item c = last; c != null; c = c.left) {
            deleteItem(c);
          }
        }
      } else {
        for (Item c = inner.start; c != null; c = c.right) {
          deleteItem(c);
        }
      }
    }
  }

  /** Files a garbage range: deleted, without content or place. */
  private void addGc(int client, int clock, int len) {
    Item g = new Item(client, clock, len, Item.GC, null);
    g.deleted = true;
    addToStore(g);
    ds.add(client, clock, clock + len);
    tx.ds.add(client, clock, clock + len);
  }

  // ---- remote structs ----

  private void addPending(int client, ArrayList<Ref> refs) {
    ArrayList<Ref> q = pending.get(client);
    boolean fresh = q == null;
    if (fresh) {
      q = new ArrayList<>();
    }
    for (Ref r : refs) {
      if (r.kind != Item.SKIP) {
        q.add(r);
      }
    }
    if (q.isEmpty()) {
      return;
    }
    if (!fresh) {
      q.sort((a, b) -> Integer.compare(a.clock, b.clock));
    }
    pending.put(client, q);
  }

  private boolean ready(int client, int clock) {
    return client < 0 || clock < getState(client);
  }

  /** Integrates every pending struct whose dependencies are here, until none is left that can go. */
  private void integratePending() {
    boolean progress = true;
    while (progress && !pending.isEmpty()) {
      progress = false;
      int[] clients = new int[pending.size()];
      int n = 0;
      for (Integer c : pending.keySet()) {
        clients[n++] = c;
      }
      Arrays.sort(clients);
      for (int client : clients) {
        ArrayList<Ref> q = pending.get(client);
        int head = 0;
        while (head < q.size()) {
          Ref r = q.get(head);
          int state = getState(client);
          if (r.clock + r.len <= state) {
            head++;
            continue;
          }
          if (r.clock > state) {
            break;
          }
          if (state > r.clock) {
            r = r.slice(state - r.clock);
          }
          if (!ready(r.oClient, r.oClock) || !ready(r.rClient, r.rClock)
              || (r.parentKind == Ref.PARENT_NESTED && !ready(r.pClient, r.pClock))) {
            break;
          }
          head++;
          integrateRef(r);
          progress = true;
        }
        if (head == q.size()) {
          pending.remove(client);
        } else if (head > 0) {
          q.subList(0, head).clear();
        }
      }
    }
  }

  /** Integrates one struct whose dependencies are all here. */
  private void integrateRef(Ref r) {
    if (r.kind == Item.GC) {
      addGc(r.client, r.clock, r.len);
      return;
    }
    Item left = null;
    Item right = null;
    boolean orphan = false;
    if (r.oClient >= 0) {
      left = cleanEnd(r.oClient, r.oClock);
      orphan = left.kind == Item.GC;
    }
    if (r.rClient >= 0) {
      Item next = left != null ? left.right : null;
      // without concurrent inserts there, the right origin is what follows the left one: no lookup
      right = next != null && next.client == r.rClient && next.clock == r.rClock ? next : cleanStart(r.rClient, r.rClock);
      orphan |= right.kind == Item.GC;
    }
    AbstractType p = null;
    String sub = null;
    if (!orphan) {
      if (left != null) {
        p = left.parent;
        sub = left.parentSub;
        if (right != null && right.parent != p) {
          p = null;
        }
      } else if (right != null) {
        p = right.parent;
        sub = right.parentSub;
      } else if (r.parentKind == Ref.PARENT_NESTED) {
        Item holder = itemAt(r.pClient, r.pClock);
        if (holder.kind == Item.TYPE && holder.clock == r.pClock) {
          p = (AbstractType) holder.content;
        }
        sub = r.parentSub;
      } else if (accepts(r.parentKind, 0, r.kind, r.parentSub)) {
        // a root comes into being only with content it can hold
        p = root(r.parentName, r.parentKind, false);
        sub = r.parentSub;
      }
    }
    // map entries chain by left origin only; one with a right origin is forged: garbage
    if (p == null || !accepts(p.kind, p.depth, r.kind, sub) || (sub != null && right != null)) {
      addGc(r.client, r.clock, r.len);
      return;
    }
    if (sub != null && r.len > 1 && r.kind == Item.JSON) {
      // a merged run of map values (at most one per input byte): each unit is its own entry,
      // chained to the one before. A tombstone run stays one item, however long it claims to be.
      for (int k = 0; k < r.len; k++) {
        integrateRef(unit(r, k));
      }
      return;
    }
    Object content = null;
    switch (r.kind) {
      case Item.STRING:
        content = r.content; // the decoded String; it becomes a StringBuilder only if it grows
        break;
      case Item.JSON:
        content = sub != null ? ((Object[]) r.content)[0] : r.content; // a map entry holds its value
        break;
      case Item.COUNTER:
        content = r.content;
        break;
      default:
        break;
    }
    Item it = new Item(r.client, r.clock, r.len, r.kind, content);
    if (r.kind == Item.TYPE) {
      it.content = newType((Integer) r.content, null, it, p.depth + 1);
    }
    it.oClient = r.oClient;
    it.oClock = r.oClock;
    it.rClient = r.rClient;
    it.rClock = r.rClock;
    it.parent = p;
    it.parentSub = sub;
    integrateItem(it, left, right);
  }

  private static Ref unit(Ref r, int k) {
    Ref u = k == 0 ? r.copy() : r.slice(k);
    u.len = 1;
    if (r.kind == Item.JSON) {
      u.content = new Object[] {((Object[]) r.content)[k]};
    }
    return u;
  }

  /** Returns true when a type of {@code typeKind} at {@code depth} can hold such content. */
  private static boolean accepts(int typeKind, int depth, byte kind, String sub) {
    switch (typeKind) {
      case AbstractType.TEXT:
        return sub == null && (kind == Item.STRING || kind == Item.DELETED);
      case AbstractType.LIST:
        return sub == null && (kind == Item.JSON || kind == Item.DELETED
            || (kind == Item.TYPE && depth < AbstractType.MAX_DEPTH));
      case AbstractType.MAP:
        return sub != null && (kind == Item.JSON || kind == Item.DELETED
            || (kind == Item.TYPE && depth < AbstractType.MAX_DEPTH));
      default:
        return kind == Item.COUNTER && sub == null;
    }
  }

  // ---- garbage collection and merging ----

  private void gc(Item it) {
    if (it.merged || it.kind == Item.GC) {
      return;
    }
    AbstractType p = it.parent;
    if (p == null || p.isDead()) {
      toGc(it);
      return;
    }
    if (it.kind == Item.TYPE) {
      gcChildren((AbstractType) it.content);
    }
    if (it.kind >= Item.STRING) {
      it.content = null;
      it.kind = Item.DELETED;
    }
  }

  private void toGc(Item it) {
    if (it.kind == Item.TYPE) {
      gcChildren((AbstractType) it.content);
    }
    it.kind = Item.GC;
    it.content = null;
    it.parent = null;
    it.block = null; // (the key stays: a dead map may still be asked for it)
    it.oClient = -1;
    it.oClock = 0;
    it.rClient = -1;
    it.rClock = 0;
    // left and right stay: the dead sequence may still be walked by gcChildren
  }

  private void gcChildren(AbstractType t) {
    if (t.map != null) {
      for (Item last : t.map.slots()) {
        Item c = last;
        while (c != null) {
          Item prev = c.left;
          toGc(c);
          c = prev;
        }
      }
      t.map.clear();
    } else {
      Item c = t.start;
      while (c != null) {
        Item next = c.right;
        toGc(c);
        c = next;
      }
      t.start = null;
      t.length = 0;
      t.dropBlocks();
    }
    t.clearMarkers();
  }

  private void mergeAround(Item it) {
    if (it.merged || (it.parentSub != null && it.kind != Item.GC)) {
      return; // a map entry joins no run (tryMerge refuses it as either side)
    }
    if (it.kind != Item.GC && !continues(it.left, it) && !continues(it, it.right)) {
      return; // tryMerge needs a linked neighbour of the same client that it continues: none, no lookup
    }
    ClientStructs cs = structsOf(it.client);
    int i = cs.find(it.clock);
    if (cs.items[i] != it) {
      return;
    }
    tryMerge(cs, i + 1);
    tryMerge(cs, i);
  }

  private static boolean continues(Item a, Item b) {
    return a != null && b != null && a.client == b.client && a.clock + a.len == b.clock;
  }

  private void tryMerge(ClientStructs cs, int i) {
    if (i <= 0 || i >= cs.size) {
      return;
    }
    Item a = cs.items[i - 1];
    Item b = cs.items[i];
    if (!(a.kind == Item.GC && b.kind == Item.GC)) {
      if (a.kind != b.kind || a.deleted != b.deleted || a.right != b || a.parentSub != null
          || a.block != b.block
          || (a.kind != Item.STRING && a.kind != Item.JSON && a.kind != Item.DELETED)
          || b.oClient != a.client || b.oClock != a.lastClock()
          || b.rClient != a.rClient || b.rClock != a.rClock) {
        return;
      }
      if (a.kind == Item.STRING) {
        a.text().append((CharSequence) b.content);
      } else if (a.kind == Item.JSON) {
        Object[] x = (Object[]) a.content;
        Object[] y = (Object[]) b.content;
        Object[] z = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, z, x.length, y.length);
        a.content = z;
      }
      a.right = b.right;
      if (b.right != null) {
        b.right.left = a;
      }
      a.parent.markMerged(b, a, a.liveLen());
      if (a.block != null) {
        a.block.count--;
      }
    }
    a.len += b.len;
    b.merged = true;
    cs.removeAt(i);
  }

  // ---- for tests and helpers ----

  /** Returns the number of items in the store (runs, tombstones and garbage ranges). */
  int itemCount() {
    int n = 0;
    for (int i = 0; i < storeSize; i++) {
      n += store[i].size;
    }
    return n;
  }

  List<Object> debugItems(int client) {
    ArrayList<Object> out = new ArrayList<>();
    ClientStructs cs = structsOf(client);
    for (int i = 0; cs != null && i < cs.size; i++) {
      out.add(cs.items[i].clock + "+" + cs.items[i].len + "k" + cs.items[i].kind);
    }
    return out;
  }
}
