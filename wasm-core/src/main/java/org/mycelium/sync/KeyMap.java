package org.mycelium.sync;

/**
 * A map's keys: for each key, the last item of that key's chain. Open addressing over one
 * array of items, the key being the item's own {@code parentSub}, so an entry costs a slot
 * (4 to 8 bytes) instead of a hash-map node, key reference and table slot. Keys are never
 * removed (a deleted key keeps its deleted last item) except all at once.
 */
final class KeyMap {
  private Item[] slots = new Item[8]; // power-of-two length, at most half full
  private int shift = 29; // 32 - log2(slots.length)
  private int count;

  /**
   * The first slot to probe: Fibonacci hashing of the key's hash. Keys like "k0".."k99999" have
   * runs of consecutive String hashes, which with the low bits as the index fill runs of
   * consecutive slots, and linear probing then walks whole runs (a quarter of the time of
   * loading 100K such keys went there).
   */
  private int home(String key) {
    return (key.hashCode() * 0x9e3779b9) >>> shift;
  }

  /** Returns the last item of {@code key}'s chain, or null. */
  Item get(String key) {
    int mask = slots.length - 1;
    for (int i = home(key); ; i = (i + 1) & mask) {
      Item it = slots[i];
      if (it == null || it.parentSub.equals(key)) {
        return it;
      }
    }
  }

  /** Makes {@code it} the last item of its key's chain. */
  void put(Item it) {
    if (2 * (count + 1) > slots.length) {
      Item[] old = slots;
      Item[] grown = new Item[old.length * 2];
      shift--;
      int gmask = grown.length - 1;
      for (Item o : old) {
        if (o != null) { // keys are distinct: the first free slot, no comparisons
          int i = home(o.parentSub);
          while (grown[i] != null) {
            i = (i + 1) & gmask;
          }
          grown[i] = o;
        }
      }
      slots = grown;
    }
    int mask = slots.length - 1;
    for (int i = home(it.parentSub); ; i = (i + 1) & mask) {
      Item o = slots[i];
      if (o == null) {
        slots[i] = it;
        count++;
        return;
      }
      if (o.parentSub.equals(it.parentSub)) {
        slots[i] = it;
        return;
      }
    }
  }

  /** Returns the slots (null or an item) for iteration; do not write to them. */
  Item[] slots() {
    return slots;
  }

  void clear() {
    slots = new Item[8];
    shift = 29;
    count = 0;
  }
}
