package org.mycelium.sync;

import java.util.Arrays;

/** Readable form of an update, for test failure messages. */
final class Dump {
  private Dump() {}

  /** Writes both dumps under target/ so that a failing comparison can be diffed. */
  static void save(String want, String got) {
    try {
      java.nio.file.Files.writeString(java.nio.file.Path.of("target", "dump-expected.txt"), want);
      java.nio.file.Files.writeString(java.nio.file.Path.of("target", "dump-actual.txt"), got);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String update(byte[] bytes) {
    UpdateData u = UpdateData.decode(bytes);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < u.clients.size(); i++) {
      sb.append("client ").append(u.clients.get(i)).append('\n');
      for (Ref r : u.runs.get(i)) {
        sb.append("  ").append(r.clock).append('+').append(r.len).append(" k").append(r.kind);
        if (r.oClient >= 0) {
          sb.append(" o=").append(r.oClient).append(':').append(r.oClock);
        }
        if (r.rClient >= 0) {
          sb.append(" r=").append(r.rClient).append(':').append(r.rClock);
        }
        if (r.parentKind >= 0) {
          sb.append(" p=").append(r.parentKind).append(r.parentKind == Ref.PARENT_NESTED
              ? " " + r.pClient + ":" + r.pClock : " " + r.parentName);
        }
        if (r.parentSub != null) {
          sb.append(" sub=").append(r.parentSub);
        }
        if (r.content != null) {
          sb.append(" c=").append(r.content instanceof Object[] ? Arrays.toString((Object[]) r.content) : r.content);
        }
        sb.append('\n');
      }
    }
    for (int c = 0; c < u.ds.clientCount(); c++) {
      DeleteSet.Ranges r = u.ds.rangesAt(c);
      sb.append("deleted ").append(u.ds.clientAt(c)).append(':');
      for (int k = 0; k < r.n; k++) {
        sb.append(" [").append(r.starts[k]).append(',').append(r.ends[k]).append(')');
      }
      sb.append('\n');
    }
    return escape(sb.toString());
  }

  /** Readable form of an event's delta: [retain 1, insert 'x', delete 2]. */
  static String delta(Event e) {
    StringBuilder sb = new StringBuilder("[");
    for (Delta d : e.delta()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      Object ins = d.insert();
      sb.append(ins == null ? d.op() + " " + d.count() : ins instanceof String ? "insert '" + ins + "'" : "insert " + ins);
    }
    return sb.append(']').toString();
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x7f) {
        sb.append(c);
      } else {
        sb.append("\\u").append(Integer.toHexString(c));
      }
    }
    return sb.toString();
  }
}
