package org.mycelium.sync;

/**
 * A map's keys: for each key, the last item of that key's chain. Open addressing over one
 * array of items, the key being the item's own {@code parentSub}, so an entry costs a slot and
 * a mixed hash (8 to 12 bytes, over at most 80% of the table) instead of a hash-map node, key
 * reference and table slot. Keys are never removed (a deleted key keeps its deleted last item)
 * except all at once.
 *
 * <p>Probing reads the int array of mixed hashes and dereferences an item (and compares its key)
 * only when the hash matches: in a map of 100K keys every dereference is a cache miss, and in
 * the JS build each is two (the item, then the string's wrapper).
 */
final class KeyMap {
  private Item[] slots = new Item[8]; // power-of-two length, at most 80% full
  private int[] mixed = new int[8]; // the mixed hash of slots[i]'s key, 0 where slots[i] is null
  private int shift = 29; // 32 - log2(slots.length)
  private int count;

  /**
   * Fibonacci hashing of the key's hash, never 0. Keys like "k0".."k99999" have runs of
   * consecutive String hashes, which with the low bits as the index fill runs of consecutive
   * slots that linear probing then walks. The top bits choose the slot.
   */
  private static int mix(String key) {
    int h = key.hashCode() * 0x9e3779b9;
    return h == 0 ? 1 : h;
  }

  /** Returns the last item of {@code key}'s chain, or null. */
  Item get(String key) {
    int h = mix(key);
    int mask = slots.length - 1;
    for (int i = h >>> shift; ; i = (i + 1) & mask) {
      int m = mixed[i];
      if (m == 0) {
        return null;
      }
      if (m == h && slots[i].parentSub.equals(key)) {
        return slots[i];
      }
    }
  }

  /** Makes {@code it} the last item of its key's chain. */
  void put(Item it) {
    if (5 * (count + 1) > 4 * slots.length) { // at most 80% full: probes walk ints, which is cheap
      grow();
    }
    String key = it.parentSub;
    int h = mix(key);
    int mask = slots.length - 1;
    for (int i = h >>> shift; ; i = (i + 1) & mask) {
      int m = mixed[i];
      if (m == 0) {
        slots[i] = it;
        mixed[i] = h;
        count++;
        return;
      }
      if (m == h && slots[i].parentSub.equals(key)) {
        slots[i] = it;
        return;
      }
    }
  }

  private void grow() {
    Item[] oldSlots = slots;
    int[] oldMixed = mixed;
    slots = new Item[oldSlots.length * 2];
    mixed = new int[oldSlots.length * 2];
    shift--;
    int mask = slots.length - 1;
    for (int j = 0; j < oldSlots.length; j++) {
      int h = oldMixed[j];
      if (h != 0) { // keys are distinct: the first free slot, no comparisons
        int i = h >>> shift;
        while (mixed[i] != 0) {
          i = (i + 1) & mask;
        }
        slots[i] = oldSlots[j];
        mixed[i] = h;
      }
    }
  }

  /** Returns the slots (null or an item) for iteration; do not write to them. */
  Item[] slots() {
    return slots;
  }

  void clear() {
    slots = new Item[8];
    mixed = new int[8];
    shift = 29;
    count = 0;
  }
}
