package org.mycelium.sync;

/**
 * Splits messages into frames that fit a transport's message size (a WebRTC data channel
 * carries 16 KiB safely everywhere) and joins them again. One message at a time per direction:
 * frames of a message arrive in order because channels are reliable and ordered.
 *
 * <pre>
 * frame := varUint(0) • bytes                                   a whole message
 *        | varUint(1) • varUint(total) • bytes                  first chunk; total = message length
 *        | varUint(2) • bytes                                   a following chunk
 * </pre>
 *
 * The joiner rejects a message over its size limit before allocating, a continuation without
 * a start, a new start before the last message completed, and chunks that overrun the total.
 */
public final class Chunker {
  /** Frame kinds. */
  static final int WHOLE = 0;
  static final int FIRST = 1;
  static final int NEXT = 2;

  private final int frameSize; // max bytes in one frame, header included
  private final int maxMessage; // largest message the joiner accepts
  private byte[] partial; // message being joined, null when none
  private int filled; // bytes of partial received so far

  /** Creates a chunker for frames of at most {@code frameSize} bytes and messages of at most {@code maxMessage}. */
  public Chunker(int frameSize, int maxMessage) {
    if (frameSize < 16 || maxMessage < 1) {
      throw new IllegalArgumentException("frameSize must be >= 16 and maxMessage >= 1");
    }
    this.frameSize = frameSize;
    this.maxMessage = maxMessage;
  }

  /** Returns the frames that carry {@code message}, in order. */
  public byte[][] split(byte[] message) {
    if (message.length + 1 <= frameSize) {
      byte[] f = new byte[message.length + 1];
      f[0] = WHOLE;
      System.arraycopy(message, 0, f, 1, message.length);
      return new byte[][] {f};
    }
    Encoder head = new Encoder();
    head.writeVarUint(FIRST);
    head.writeVarUint(message.length);
    int firstPayload = frameSize - head.length();
    int rest = message.length - firstPayload;
    int count = 1 + (rest + frameSize - 2) / (frameSize - 1);
    byte[][] frames = new byte[count][];
    head.writeRaw(message, 0, firstPayload);
    frames[0] = head.toBytes();
    int at = firstPayload;
    for (int i = 1; i < count; i++) {
      int n = Math.min(frameSize - 1, message.length - at);
      byte[] f = new byte[n + 1];
      f[0] = NEXT;
      System.arraycopy(message, at, f, 1, n);
      at += n;
      frames[i] = f;
    }
    return frames;
  }

  /**
   * Takes one received frame; returns the whole message when this frame completes one, null
   * while more frames are needed. Throws MalformedUpdateException for a frame that breaks the
   * rules, and forgets any partial message then.
   */
  public byte[] join(byte[] frame) {
    try {
      Decoder d = new Decoder(frame);
      int kind = d.readVarUint();
      if (kind == WHOLE) {
        if (partial != null) {
          throw new MalformedUpdateException("whole message while a chunked one is incomplete", 0);
        }
        if (d.remaining() > maxMessage) {
          throw new MalformedUpdateException("message of " + d.remaining() + " bytes exceeds the limit " + maxMessage, 0);
        }
        byte[] out = new byte[d.remaining()];
        System.arraycopy(frame, d.position(), out, 0, out.length);
        return out;
      }
      if (kind == FIRST) {
        if (partial != null) {
          throw new MalformedUpdateException("new chunked message while one is incomplete", 0);
        }
        int total = d.readVarUint();
        if (total > maxMessage) {
          throw new MalformedUpdateException("message of " + total + " bytes exceeds the limit " + maxMessage, 1);
        }
        if (d.remaining() > total) {
          throw new MalformedUpdateException("first chunk longer than its message", d.position());
        }
        partial = new byte[total];
        filled = 0;
      } else if (kind == NEXT) {
        if (partial == null) {
          throw new MalformedUpdateException("continuation chunk without a first chunk", 0);
        }
        if (d.remaining() > partial.length - filled) {
          throw new MalformedUpdateException("chunk overruns its message", d.position());
        }
      } else {
        throw new MalformedUpdateException("unknown frame kind " + kind, 0);
      }
      int n = d.remaining();
      System.arraycopy(frame, d.position(), partial, filled, n);
      filled += n;
      if (filled < partial.length) {
        return null;
      }
      byte[] out = partial;
      partial = null;
      return out;
    } catch (MalformedUpdateException e) {
      partial = null;
      throw e;
    }
  }

  /** Returns true while a chunked message is partly received. */
  public boolean isJoining() {
    return partial != null;
  }
}
