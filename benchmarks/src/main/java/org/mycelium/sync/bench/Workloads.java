package org.mycelium.sync.bench;

import java.util.Random;
import org.mycelium.sync.Doc;
import org.mycelium.sync.TypingHistory;
import org.mycelium.sync.MapType;
import org.mycelium.sync.Text;

/**
 * The benchmark workloads of DESIGN.md (Budgets), generated from fixed seeds so that every run,
 * on the JVM and in every browser engine, measures exactly the same edits.
 */
public final class Workloads {
  /** Edits in the typing history. */
  public static final int TYPING_EDITS = 260_000;
  /** Seed of the typing history (the one the engine's PerfTest uses). */
  public static final long TYPING_SEED = 42;
  /** Length of the shared text both merge peers start from. */
  public static final int MERGE_BASE = 1_000;
  /** Edits each merge peer makes. */
  public static final int MERGE_EDITS = 5_000;
  /** Records in the memory and load workloads. */
  public static final int RECORDS = 100_000;
  /** Ops per sync-throughput run: the first edits of the typing history. */
  public static final int SYNC_OPS = 10_000;

  private static final String ALPHABET = "etaoinshrdlucmfwypvbgkjqxz      ,.\n";

  private Workloads() {
  }

  /**
   * A typing history like DESIGN.md's, from the engine's own generator ({@link TypingHistory}):
   * {@code n} single-character edits, about 70% inserts at the cursor and 30% backspaces, the
   * cursor jumping to a random place now and then; 260K edits end near 100K characters.
   */
  public static Edits typingHistory(int n, long seed) {
    TypingHistory h = TypingHistory.generate(seed, n);
    char[] chars = new char[n];
    int len = 0;
    for (int i = 0; i < n; i++) {
      if (h.kinds()[i] == TypingHistory.INSERT) {
        chars[i] = h.chars()[i];
        len++;
      } else {
        len--;
      }
    }
    return new Edits(h.positions().clone(), chars, len);
  }

  /** The 260K-edit typing history. */
  public static Edits typingHistory() {
    return typingHistory(TYPING_EDITS, TYPING_SEED);
  }

  /**
   * One merge peer's edits on the shared {@link #MERGE_BASE}-character text: {@code n} edits at
   * random places, 75% single-character inserts and 25% single-character deletes.
   */
  public static Edits mergeEdits(int n, long seed) {
    Random r = new Random(seed);
    int[] pos = new int[n];
    char[] chars = new char[n];
    int len = MERGE_BASE;
    for (int i = 0; i < n; i++) {
      if (len > 0 && r.nextInt(4) == 0) {
        pos[i] = r.nextInt(len);
        len--;
      } else {
        pos[i] = r.nextInt(len + 1);
        chars[i] = ALPHABET.charAt(r.nextInt(ALPHABET.length()));
        len++;
      }
    }
    return new Edits(pos, chars, len);
  }

  /** The shared text both merge peers start from. */
  public static String mergeBaseText() {
    StringBuilder sb = new StringBuilder(MERGE_BASE);
    Random r = new Random(1000);
    for (int i = 0; i < MERGE_BASE; i++) {
      sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  /** The three updates of the 10K-op merge: the base text, and each peer's delta from it. */
  public static final class Merge {
    /** The base text as an update (client 1). */
    public final byte[] base;
    /** Peer A's 5,000 edits (client 2) as a delta against the base. */
    public final byte[] deltaA;
    /** Peer B's 5,000 concurrent edits (client 3) as a delta against the base. */
    public final byte[] deltaB;

    Merge(byte[] base, byte[] deltaA, byte[] deltaB) {
      this.base = base;
      this.deltaA = deltaA;
      this.deltaB = deltaB;
    }
  }

  /** Peer A's edits. */
  public static Edits mergeEditsA() {
    return mergeEdits(MERGE_EDITS, 0xA11CEL);
  }

  /** Peer B's edits. */
  public static Edits mergeEditsB() {
    return mergeEdits(MERGE_EDITS, 0xB0BL);
  }

  /** Builds the merge workload with the engine: each edit its own transaction. */
  public static Merge merge() {
    Doc base = new Doc(1);
    base.getText("t").insert(0, mergeBaseText());
    byte[] baseUpdate = base.encodeStateAsUpdate(null);
    byte[] sv = base.encodeStateVector();
    return new Merge(baseUpdate, peerDelta(2, baseUpdate, sv, mergeEditsA()),
        peerDelta(3, baseUpdate, sv, mergeEditsB()));
  }

  private static byte[] peerDelta(int client, byte[] base, byte[] sv, Edits edits) {
    Doc d = new Doc(client);
    d.applyUpdate(base, null);
    edits.applyTo(d.getText("t"));
    return d.encodeStateAsUpdate(sv);
  }

  /** Fills a map with the 100K records: key {@code "k" + i}, value i (a number), in one transaction. */
  public static void records(Doc doc, int n) {
    MapType m = doc.getMap("m");
    doc.transact(() -> {
      for (int i = 0; i < n; i++) {
        m.set("k" + i, (double) i);
      }
    }, null);
  }

  /** Returns a doc that holds the 100K records. */
  public static Doc recordsDoc() {
    Doc d = new Doc(1);
    records(d, RECORDS);
    return d;
  }

  /** Replays the typing history into a fresh doc and returns it. */
  public static Doc typedDoc(Edits edits) {
    Doc d = new Doc(1);
    Text t = d.getText("t");
    edits.applyTo(t);
    return d;
  }
}
