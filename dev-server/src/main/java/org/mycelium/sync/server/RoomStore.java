package org.mycelium.sync.server;

import java.util.List;

/**
 * Where the room keeper keeps rooms: per room, an ordered log of updates (the bytes a peer sent,
 * or a snapshot that replaced the ones before it). Every write is durable when the call returns,
 * so the keeper may acknowledge what it wrote. Nothing here decodes updates: the keeper checks
 * them, and moves a row that does not decode aside with {@link #quarantine}.
 *
 * <p>{@link SqliteRoomStore} is the implementation for one machine. ARCHITECTURE.md says how a
 * server database would take its place.
 *
 * <p>Implementations are safe for use from several threads; the keeper uses one.
 */
public interface RoomStore extends AutoCloseable {
  /** One stored row: its id (ascending in the order of writes within a room) and its bytes. */
  record Row(long id, byte[] bytes) {}

  /** One update to append to a room. */
  record Append(String room, byte[] update) {}

  /** A row moved aside: where it was, its bytes unchanged, and why. */
  record Quarantined(String room, long id, byte[] bytes, String reason, long atMs) {}

  /** Rows and bytes stored for one room. */
  record Size(int rows, long bytes) {}

  /** Returns the rows of {@code room} in the order they were written (empty for an unknown room). */
  List<Row> load(String room);

  /**
   * Appends updates, each to its room, in one durable write; returns their row ids in order.
   * When it throws, none of them is stored.
   */
  long[] append(List<Append> updates);

  /** Appends one update durably and returns its row id. */
  default long append(String room, byte[] update) {
    return append(List.of(new Append(room, update)))[0];
  }

  /**
   * Replaces the rows of {@code room} with ids up to {@code upTo} by one row holding
   * {@code snapshot}, atomically; rows written after {@code upTo} stay.
   */
  void replace(String room, long upTo, byte[] snapshot);

  /** Moves one row of {@code room} aside with {@code reason}, atomically; false when there is no such row. */
  boolean quarantine(String room, long id, String reason);

  /** Returns the rows moved aside, oldest first. */
  List<Quarantined> quarantined();

  /** Returns the rooms that have rows, sorted. */
  List<String> rooms();

  /** Returns how many rows and bytes {@code room} has. */
  Size size(String room);

  /** Closes the store; its writes are durable already. */
  @Override
  void close();

  /** A storage failure: the write or read did not happen. */
  final class StoreException extends RuntimeException {
    /** Wraps {@code cause} with what was being done. */
    public StoreException(String what, Throwable cause) {
      super(what + ": " + cause.getMessage(), cause);
    }
  }
}
