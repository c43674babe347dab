package org.mycelium.sync;

/**
 * A stretch of consecutive runs of one sequence, with its count of runs and of visible units.
 * A sequence's blocks, in order, cover its whole list of runs, so a position is found by
 * summing block lengths and then walking inside one block: O(blocks + block size) instead of
 * O(runs) when no position marker is near.
 */
final class Block {
  /** Runs per block before it splits in two. */
  static final int MAX = 128;

  Item first; // first run of the block; the block ends where the next block's first begins
  int count; // runs in the block
  int live; // visible units in the block

  Block(Item first) {
    this.first = first;
  }
}
