package org.mycelium.sync.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The room store in one embedded SQLite file ({@code rooms.db} in the data directory), through
 * {@code org.xerial:sqlite-jdbc}.
 *
 * <p>Durability: the database runs in WAL mode with {@code synchronous=FULL}, so every commit
 * syncs the write-ahead log to disk before it returns, and a commit that returned survives a
 * kill of the process or a power cut. Each {@link #append} is one transaction, however many
 * updates it carries (group commit: the keeper appends what arrived while the last write ran).
 *
 * <p>Tables: {@code updates(id, room, snapshot, bytes, stored_ms)}, ids ascending in write order
 * ({@code AUTOINCREMENT}: an id is never reused, except that a snapshot takes the id of the last
 * row it replaced, so that the order of a room's rows stays the order of its history), and
 * {@code quarantine(id, room, bytes, reason, quarantined_ms)}, where moved rows keep their id.
 *
 * <p>One connection, used under this object's monitor: SQLite has one writer at a time anyway.
 */
public final class SqliteRoomStore implements RoomStore {
  /** The database file's name in the data directory. */
  public static final String FILE = "rooms.db";

  private final Path file;
  private final Connection db; // guarded by this

  private SqliteRoomStore(Path file, Connection db) {
    this.file = file;
    this.db = db;
  }

  /** Opens (creating when needed) the store in {@code dataDir}, which is created too. */
  public static SqliteRoomStore open(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    Connection db = null;
    try {
      Files.createDirectories(dataDir);
      db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = db.createStatement()) {
        try (ResultSet r = s.executeQuery("PRAGMA journal_mode=WAL")) {
          if (!r.next() || !"wal".equalsIgnoreCase(r.getString(1))) {
            throw new SQLException("could not switch to WAL mode");
          }
        }
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA busy_timeout=5000");
        s.execute("CREATE TABLE IF NOT EXISTS updates (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            + " room TEXT NOT NULL, snapshot INTEGER NOT NULL DEFAULT 0, bytes BLOB NOT NULL,"
            + " stored_ms INTEGER NOT NULL)");
        s.execute("CREATE INDEX IF NOT EXISTS updates_by_room ON updates(room, id)");
        s.execute("CREATE TABLE IF NOT EXISTS quarantine (id INTEGER PRIMARY KEY, room TEXT NOT NULL,"
            + " bytes BLOB NOT NULL, reason TEXT NOT NULL, quarantined_ms INTEGER NOT NULL)");
      }
      db.setAutoCommit(false);
      return new SqliteRoomStore(file, db);
    } catch (SQLException | java.io.IOException e) {
      closeQuietly(db);
      throw new StoreException("cannot open " + file, e);
    }
  }

  /** Returns the database file. */
  public Path file() {
    return file;
  }

  /** Returns a pragma's value, for tests and diagnostics. */
  synchronized String pragma(String name) {
    try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("PRAGMA " + name)) {
      return r.next() ? r.getString(1) : null;
    } catch (SQLException e) {
      throw new StoreException("pragma " + name, e);
    }
  }

  @Override
  public synchronized List<Row> load(String room) {
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement q = db.prepareStatement("SELECT id, bytes FROM updates WHERE room = ? ORDER BY id")) {
      q.setString(1, room);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          byte[] bytes = r.getBytes(2);
          rows.add(new Row(r.getLong(1), bytes == null ? new byte[0] : bytes));
        }
      }
      db.commit(); // ends the read transaction, so the WAL can be checkpointed
      return rows;
    } catch (SQLException e) {
      rollbackQuietly();
      throw new StoreException("load of room " + room, e);
    }
  }

  @Override
  public synchronized long[] append(List<Append> updates) {
    long[] ids = new long[updates.size()];
    if (ids.length == 0) {
      return ids;
    }
    long now = System.currentTimeMillis();
    try (PreparedStatement q = db.prepareStatement(
        "INSERT INTO updates(room, snapshot, bytes, stored_ms) VALUES (?, 0, ?, ?)",
        Statement.RETURN_GENERATED_KEYS)) {
      for (int i = 0; i < ids.length; i++) {
        Append a = updates.get(i);
        q.setString(1, a.room());
        q.setBytes(2, a.update());
        q.setLong(3, now);
        q.executeUpdate();
        try (ResultSet k = q.getGeneratedKeys()) {
          if (!k.next()) {
            throw new SQLException("no row id for an insert");
          }
          ids[i] = k.getLong(1);
        }
      }
      db.commit();
      return ids;
    } catch (SQLException e) {
      rollbackQuietly();
      throw new StoreException("append of " + ids.length + " updates", e);
    }
  }

  @Override
  public synchronized void replace(String room, long upTo, byte[] snapshot) {
    try (PreparedStatement del = db.prepareStatement("DELETE FROM updates WHERE room = ? AND id <= ?");
        PreparedStatement ins = db.prepareStatement(
            "INSERT INTO updates(id, room, snapshot, bytes, stored_ms) VALUES (?, ?, 1, ?, ?)")) {
      del.setString(1, room);
      del.setLong(2, upTo);
      if (del.executeUpdate() == 0) {
        throw new SQLException("no rows up to " + upTo);
      }
      ins.setLong(1, upTo);
      ins.setString(2, room);
      ins.setBytes(3, snapshot);
      ins.setLong(4, System.currentTimeMillis());
      ins.executeUpdate();
      db.commit();
    } catch (SQLException e) {
      rollbackQuietly();
      throw new StoreException("snapshot of room " + room, e);
    }
  }

  @Override
  public synchronized boolean quarantine(String room, long id, String reason) {
    try (PreparedStatement copy = db.prepareStatement("INSERT OR REPLACE INTO quarantine(id, room, bytes, reason,"
        + " quarantined_ms) SELECT id, room, bytes, ?, ? FROM updates WHERE room = ? AND id = ?");
        PreparedStatement del = db.prepareStatement("DELETE FROM updates WHERE room = ? AND id = ?")) {
      copy.setString(1, reason);
      copy.setLong(2, System.currentTimeMillis());
      copy.setString(3, room);
      copy.setLong(4, id);
      if (copy.executeUpdate() == 0) {
        db.rollback();
        return false;
      }
      del.setString(1, room);
      del.setLong(2, id);
      del.executeUpdate();
      db.commit();
      return true;
    } catch (SQLException e) {
      rollbackQuietly();
      throw new StoreException("quarantine of row " + id + " of room " + room, e);
    }
  }

  @Override
  public synchronized List<Quarantined> quarantined() {
    List<Quarantined> out = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT room, id, bytes, reason, quarantined_ms FROM quarantine"
            + " ORDER BY quarantined_ms, id")) {
      while (r.next()) {
        out.add(new Quarantined(r.getString(1), r.getLong(2), r.getBytes(3), r.getString(4), r.getLong(5)));
      }
      db.commit();
      return out;
    } catch (SQLException e) {
      rollbackQuietly();
      throw new StoreException("list of quarantined rows", e);
    }
  }

  @Override
  public synchronized List<String> rooms() {
    List<String> out = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT DISTINCT room FROM updates ORDER BY room")) {
      while (r.next()) {
        out.add(r.getString(1));
      }
      db.commit();
      return out;
    } catch (SQLException e) {
      rollbackQuietly();
      throw new StoreException("list of rooms", e);
    }
  }

  @Override
  public synchronized Size size(String room) {
    try (PreparedStatement q = db.prepareStatement(
        "SELECT count(*), coalesce(sum(length(bytes)), 0) FROM updates WHERE room = ?")) {
      q.setString(1, room);
      try (ResultSet r = q.executeQuery()) {
        r.next();
        Size s = new Size(r.getInt(1), r.getLong(2));
        db.commit();
        return s;
      }
    } catch (SQLException e) {
      rollbackQuietly();
      throw new StoreException("size of room " + room, e);
    }
  }

  @Override
  public synchronized void close() {
    closeQuietly(db);
  }

  private void rollbackQuietly() {
    try {
      db.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the next call reports it
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // nothing to do
      }
    }
  }
}
