package org.mycelium.sync;

/**
 * One struct as the wire carries it: an item with its ids, origins, parent as written (a root
 * name and kind, or the id of the item holding a nested type) and content, or a GC or skip range.
 * Decoding builds these without touching a document; {@link Doc} integrates them, and
 * {@link Updates} merges and slices them without a document.
 */
final class Ref {
  static final int FLAG_ORIGIN = 0x80;
  static final int FLAG_RIGHT = 0x40;
  /** Without origins: a map key follows. With a right origin: it is the previous struct's. */
  static final int FLAG_SUB = 0x20;
  static final int FLAG_ORIGIN_SELF = 0x10;
  static final int FLAG_RIGHT_SELF = 0x08;
  /** Parent kinds on the wire: 0..3 a root of that type kind, 4 a nested type (an item id). */
  static final int PARENT_NESTED = 4;

  int client;
  int clock;
  int len;
  byte kind; // Item.GC .. Item.COUNTER
  int oClient = -1;
  int oClock;
  int rClient = -1;
  int rClock;
  int parentKind = -1; // -1: inherited from an origin; else see PARENT_NESTED
  String parentName; // root name when parentKind is 0..3
  int pClient; // nested parent item id when parentKind is PARENT_NESTED
  int pClock;
  String parentSub;
  Object content; // String, Object[], Integer (type kind) or Double (counter)
  int[] holes; // TEXT_HOLES: pairs (offset in the run, length) of its deleted stretches
  int nHoles; // TEXT_HOLES: pairs used

  Ref(int client, int clock, int len, byte kind) {
    this.client = client;
    this.clock = clock;
    this.len = len;
    this.kind = kind;
  }

  /** Returns a field-by-field copy. */
  Ref copy() {
    Ref c = new Ref(client, clock, len, kind);
    c.oClient = oClient;
    c.oClock = oClock;
    c.rClient = rClient;
    c.rClock = rClock;
    c.parentKind = parentKind;
    c.parentName = parentName;
    c.pClient = pClient;
    c.pClock = pClock;
    c.parentSub = parentSub;
    c.content = content;
    return c;
  }

  /** Returns the part from {@code off} on (0 &lt; off &lt; len), inheriting its parent from its own earlier unit. */
  Ref slice(int off) {
    Ref r = new Ref(client, clock + off, len - off, kind);
    if (kind >= Item.DELETED) {
      r.oClient = client;
      r.oClock = clock + off - 1;
      r.rClient = rClient;
      r.rClock = rClock;
    }
    if (kind == Item.STRING) {
      r.content = ((String) content).substring(off);
    } else if (kind == Item.JSON) {
      Object[] all = (Object[]) content;
      Object[] tail = new Object[all.length - off];
      System.arraycopy(all, off, tail, 0, tail.length);
      r.content = tail;
    }
    return r;
  }

  /** Returns true when {@code b} continues this run on the wire so that the two write as one. */
  boolean canAppend(Ref b) {
    if (b.clock != clock + len || b.kind != kind) {
      return false;
    }
    if (kind == Item.GC || kind == Item.SKIP) {
      return true;
    }
    return (kind == Item.DELETED || kind == Item.STRING || kind == Item.JSON) && chains(b);
  }

  /** Returns true when {@code b} starts right after this and was inserted right after it. */
  boolean chains(Ref b) {
    return b.clock == clock + len && b.oClient == client && b.oClock == clock + len - 1
        && b.rClient == rClient && b.rClock == rClock;
  }

  /** Adds a deleted stretch of {@code n} units at the end of this TEXT_HOLES run. */
  void addHole(int n) {
    if (nHoles > 0 && holes[2 * nHoles - 2] + holes[2 * nHoles - 1] == len) {
      holes[2 * nHoles - 1] += n;
    } else {
      if (holes == null) {
        holes = new int[8];
      } else if (2 * nHoles == holes.length) {
        holes = java.util.Arrays.copyOf(holes, holes.length * 2);
      }
      holes[2 * nHoles] = len;
      holes[2 * nHoles + 1] = n;
      nHoles++;
    }
    len += n;
  }

  /**
   * Appends the text and deleted runs a TEXT_HOLES run stands for: the first keeps this one's
   * origins and parent, each later one continues the one before.
   */
  void expand(java.util.List<Ref> out) {
    String live = (String) content;
    int pos = 0; // offset in the run
    int at = 0; // offset in live
    for (int h = 0; h <= nHoles; h++) {
      int holeStart = h < nHoles ? holes[2 * h] : len;
      if (holeStart > pos) {
        int n = holeStart - pos;
        out.add(piece(pos, n, Item.STRING, live.substring(at, at + n)));
        at += n;
        pos = holeStart;
      }
      if (h < nHoles) {
        out.add(piece(pos, holes[2 * h + 1], Item.DELETED, null));
        pos += holes[2 * h + 1];
      }
    }
  }

  private Ref piece(int off, int n, byte k, Object c) {
    Ref p = off == 0 ? copy() : slice(off); // (slice leaves a TEXT_HOLES content alone)
    p.kind = k;
    p.len = n;
    p.content = c;
    p.holes = null;
    p.nHoles = 0;
    return p;
  }

  /** Returns true when this carries a right origin equal to that of {@code prev}. */
  private boolean repeatsRight(Ref prev) {
    return rClient >= 0 && prev != null && prev.rClient == rClient && prev.rClock == rClock;
  }

  /**
   * Writes the struct; {@code clock} is implied by its position in the client's run and
   * {@code prev} is the struct written before it in that run (or null).
   */
  void write(Encoder e, Ref prev) {
    if (kind == Item.GC || kind == Item.SKIP) {
      e.writeByte(kind);
      e.writeVarUint(len);
      return;
    }
    int info = kind;
    if (oClient >= 0) {
      info |= FLAG_ORIGIN | (oClient == client ? FLAG_ORIGIN_SELF : 0);
    }
    boolean repeat = repeatsRight(prev);
    if (repeat) {
      info |= FLAG_RIGHT | FLAG_SUB;
    } else if (rClient >= 0) {
      info |= FLAG_RIGHT | (rClient == client ? FLAG_RIGHT_SELF : 0);
    }
    boolean explicitParent = oClient < 0 && rClient < 0;
    if (explicitParent && parentSub != null) {
      info |= FLAG_SUB;
    }
    e.writeByte(info);
    if (oClient >= 0) {
      writeId(e, oClient, oClock);
    }
    if (rClient >= 0 && !repeat) {
      writeId(e, rClient, rClock);
    }
    if (explicitParent) {
      e.writeVarUint(parentKind);
      if (parentKind == PARENT_NESTED) {
        e.writeVarUint(pClient);
        e.writeVarUint(pClock);
      } else {
        e.writeVarString(parentName);
      }
      if (parentSub != null) {
        e.writeVarString(parentSub);
      }
    }
    switch (kind) {
      case Item.DELETED:
        e.writeVarUint(len);
        break;
      case Item.STRING:
        e.writeVarString((String) content);
        break;
      case Item.JSON: {
        Object[] vals = (Object[]) content;
        e.writeVarUint(vals.length);
        for (Object v : vals) {
          Json.write(e, v);
        }
        break;
      }
      case Item.TYPE:
        e.writeByte((Integer) content);
        break;
      case Item.TEXT_HOLES: {
        e.writeVarUint(nHoles);
        int prevEnd = 0;
        for (int h = 0; h < nHoles; h++) {
          e.writeVarUint(holes[2 * h] - prevEnd);
          e.writeVarUint(holes[2 * h + 1]);
          prevEnd = holes[2 * h] + holes[2 * h + 1];
        }
        e.writeVarString((String) content);
        break;
      }
      default:
        Json.writeNumber(e, (Double) content);
        break;
    }
  }

  private void writeId(Encoder e, int c, int k) {
    if (c == client) {
      e.writeVarUint(clock - 1 - k);
    } else {
      e.writeVarUint(c);
      e.writeVarUint(k);
    }
  }

  /**
   * Reads one struct of {@code client} starting at {@code clock}, checking every field;
   * {@code prev} is the struct read before it in the same client run, or null.
   */
  static Ref read(Decoder d, int client, int clock, Ref prev) {
    int at = d.position();
    int info = d.readByte();
    int kind = info & 0x07;
    if (kind == Item.GC || kind == Item.SKIP) {
      if (info != kind) {
        throw new MalformedUpdateException("flags on a gc or skip struct", at);
      }
      return new Ref(client, clock, readLen(d, clock), (byte) kind);
    }
    boolean hasO = (info & FLAG_ORIGIN) != 0;
    boolean hasR = (info & FLAG_RIGHT) != 0;
    boolean repeat = hasR && (info & FLAG_SUB) != 0;
    if ((!hasO && (info & FLAG_ORIGIN_SELF) != 0) || (!hasR && (info & FLAG_RIGHT_SELF) != 0)
        || (hasO && !hasR && (info & FLAG_SUB) != 0) || (repeat && (info & FLAG_RIGHT_SELF) != 0)) {
      throw new MalformedUpdateException("inconsistent struct flags", at);
    }
    if (repeat && (prev == null || prev.rClient < 0)) {
      throw new MalformedUpdateException("repeated right origin without a previous one", at);
    }
    Ref r = new Ref(client, clock, 1, (byte) kind);
    if (hasO) {
      int oat = d.position();
      r.oClient = (info & FLAG_ORIGIN_SELF) != 0 ? client : d.readVarUint();
      r.oClock = readIdClock(d, r.oClient == client && (info & FLAG_ORIGIN_SELF) != 0, clock);
      checkEarlier(r.oClient, r.oClock, client, clock, oat);
    }
    if (repeat) {
      r.rClient = prev.rClient;
      r.rClock = prev.rClock;
    } else if (hasR) {
      int rat = d.position();
      r.rClient = (info & FLAG_RIGHT_SELF) != 0 ? client : d.readVarUint();
      r.rClock = readIdClock(d, r.rClient == client && (info & FLAG_RIGHT_SELF) != 0, clock);
      checkEarlier(r.rClient, r.rClock, client, clock, rat);
    }
    if (!hasO && !hasR) {
      int pat = d.position();
      r.parentKind = d.readVarUint();
      if (r.parentKind > PARENT_NESTED) {
        throw new MalformedUpdateException("unknown parent kind " + r.parentKind, pat);
      }
      if (r.parentKind == PARENT_NESTED) {
        r.pClient = d.readVarUint();
        r.pClock = d.readVarUint();
        checkEarlier(r.pClient, r.pClock, client, clock, pat);
      } else {
        r.parentName = d.readVarStringRepeated(); // every map entry names its root: one string for all
      }
      if ((info & FLAG_SUB) != 0) {
        r.parentSub = d.readVarString();
      }
      boolean mapRoot = r.parentKind == AbstractType.MAP;
      if ((r.parentKind < PARENT_NESTED) && mapRoot != (r.parentSub != null)) {
        throw new MalformedUpdateException("map key present exactly when the parent is a map", pat);
      }
      if ((r.parentKind == AbstractType.COUNTER) != (kind == Item.COUNTER)) {
        throw new MalformedUpdateException("counter increments belong to counters only", pat);
      }
    } else if (kind == Item.COUNTER) {
      throw new MalformedUpdateException("counter increment with origins", at);
    }
    int cat = d.position();
    switch (kind) {
      case Item.DELETED:
        r.len = readLen(d, clock);
        break;
      case Item.STRING: {
        String s = d.readVarString();
        if (s.isEmpty()) {
          throw new MalformedUpdateException("empty text run", cat);
        }
        checkLen(s.length(), clock, cat);
        r.len = s.length();
        r.content = s;
        break;
      }
      case Item.JSON: {
        int n = d.readCount(1, "value");
        if (n == 0) {
          throw new MalformedUpdateException("empty value run", cat);
        }
        checkLen(n, clock, cat);
        Object[] vals = new Object[n];
        int from = d.position();
        boolean encoded = false;
        for (int i = 0; i < n; i++) {
          vals[i] = Json.readStored(d);
          encoded |= vals[i] instanceof Json.Encoded;
        }
        if (encoded) { // the run's values get bytes of their own: the input is not kept alive
          byte[] own = new byte[d.position() - from];
          System.arraycopy(d.bytes(), from, own, 0, own.length); // a bulk copy in wasm, unlike copyOfRange
          for (Object v : vals) {
            if (v instanceof Json.Encoded) {
              ((Json.Encoded) v).moveTo(own, from);
            }
          }
        }
        r.len = n;
        r.content = vals;
        break;
      }
      case Item.TEXT_HOLES:
        readHoles(d, r, clock, cat);
        break;
      case Item.TYPE: {
        int t = d.readByte();
        if (t > AbstractType.MAP) {
          throw new MalformedUpdateException("unknown nested type kind " + t, cat);
        }
        checkLen(1, clock, cat);
        r.content = t;
        break;
      }
      default:
        checkLen(1, clock, cat);
        r.content = Json.readNumber(d);
        break;
    }
    return r;
  }

  private static void readHoles(Decoder d, Ref r, int clock, int at) {
    int n = d.readCount(2, "hole");
    if (n == 0) {
      throw new MalformedUpdateException("text with holes without a hole", at);
    }
    r.holes = new int[2 * n];
    r.nHoles = n;
    int room = Integer.MAX_VALUE - clock; // units this run may still span
    int end = 0; // run offset after the last hole
    int liveBefore = 0; // live units before the last hole
    for (int h = 0; h < n; h++) {
      int hat = d.position();
      int gap = d.readVarUint();
      int len = d.readVarUint();
      if (len == 0 || (h > 0 && gap == 0)) {
        throw new MalformedUpdateException("empty hole or holes not apart", hat);
      }
      if (gap > room - end || len > room - end - gap) {
        throw new MalformedUpdateException("clock overflows 31 bits", hat);
      }
      r.holes[2 * h] = end + gap;
      r.holes[2 * h + 1] = len;
      end += gap + len;
      liveBefore += gap;
    }
    int sat = d.position();
    String live = d.readVarString();
    if (live.isEmpty() || liveBefore > live.length()) {
      throw new MalformedUpdateException("text with holes has too little text", sat);
    }
    int tail = live.length() - liveBefore;
    if (tail > room - end) {
      throw new MalformedUpdateException("clock overflows 31 bits", sat);
    }
    r.len = end + tail;
    r.content = live;
  }

  private static int readIdClock(Decoder d, boolean self, int clock) {
    int at = d.position();
    int v = d.readVarUint();
    if (!self) {
      return v;
    }
    if (v > clock - 1) {
      throw new MalformedUpdateException("origin before the client's first clock", at);
    }
    return clock - 1 - v;
  }

  private static void checkEarlier(int c, int k, int client, int clock, int at) {
    if (c == client && k >= clock) {
      throw new MalformedUpdateException("reference to a later clock of the same client", at);
    }
  }

  private static int readLen(Decoder d, int clock) {
    int at = d.position();
    int n = d.readVarUint();
    if (n == 0) {
      throw new MalformedUpdateException("empty struct", at);
    }
    checkLen(n, clock, at);
    return n;
  }

  private static void checkLen(int n, int clock, int at) {
    if (n > Integer.MAX_VALUE - clock) {
      throw new MalformedUpdateException("clock overflows 31 bits", at);
    }
  }
}
