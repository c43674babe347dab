package org.mycelium.sync;

/** Consistency checks of a document's internals, for tests: runs, blocks, markers, lengths. */
final class Invariants {
  private Invariants() {}

  /** Returns null when every root and nested sequence is consistent, else what is wrong. */
  static String check(Doc d) {
    for (int i = 0; i < d.storeSize; i++) {
      ClientStructs cs = d.store[i];
      for (int k = 0; k < cs.size; k++) {
        Item it = cs.items[k];
        if (k > 0 && cs.items[k - 1].clock + cs.items[k - 1].len != it.clock) {
          return "gap in the runs of client " + cs.client;
        }
        if (it.kind == Item.TYPE && it.content instanceof AbstractType) {
          String bad = check((AbstractType) it.content);
          if (bad != null) {
            return bad;
          }
        }
      }
    }
    for (AbstractType t : d.roots.values()) {
      String bad = check(t);
      if (bad != null) {
        return t.name + ": " + bad;
      }
    }
    return null;
  }

  /** Returns null when the blocks, markers and length of a sequence agree with its runs, else what is wrong. */
  static String check(AbstractType t) {
    if (t.isDead()) {
      return null;
    }
    if (t.kind == AbstractType.MAP) {
      for (Item last : t.map.slots()) {
        if (last != null && last.right != null) {
          return "key " + last.parentSub + ": the indexed entry is not the last of its chain";
        }
      }
      return null;
    }
    if (t.kind != AbstractType.TEXT && t.kind != AbstractType.LIST) {
      return null;
    }
    int live = 0;
    int bi = -1;
    int inBlock = 0;
    int blockLive = 0;
    for (Item it = t.start; it != null; it = it.right) {
      if (bi + 1 < t.nBlocks && t.blocks[bi + 1].first == it) {
        if (bi >= 0 && (t.blocks[bi].count != inBlock || t.blocks[bi].live != blockLive)) {
          return "block " + bi + " counts";
        }
        bi++;
        inBlock = 0;
        blockLive = 0;
      }
      if (bi < 0 || it.block != t.blocks[bi]) {
        return "run in the wrong block";
      }
      inBlock++;
      blockLive += it.liveLen();
      live += it.liveLen();
    }
    if (bi != t.nBlocks - 1 || (bi >= 0 && (t.blocks[bi].count != inBlock || t.blocks[bi].live != blockLive))) {
      return "last block";
    }
    if (live != t.length) {
      return "length " + t.length + " but " + live + " visible";
    }
    for (int m = 0; m < t.marks; m++) {
      int before = 0;
      for (Item it = t.start; it != t.markItem[m]; it = it.right) {
        if (it == null) {
          return "marker off the list";
        }
        before += it.liveLen();
      }
      if (before != t.markIndex[m]) {
        return "marker index";
      }
    }
    return null;
  }
}
