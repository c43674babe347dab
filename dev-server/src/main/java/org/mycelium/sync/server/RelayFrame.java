package org.mycelium.sync.server;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.mycelium.sync.Decoder;
import org.mycelium.sync.Encoder;
import org.mycelium.sync.MalformedUpdateException;

/**
 * The binary frames of {@code /signal}, the relay for peers without a direct path:
 * <pre>
 * relay   := varUint(1) • varString(room) • varString(to)   • payload     client to server; to "" = everyone else
 * relayed := varUint(1) • varString(room) • varString(from) • payload     server to client
 * varString(s) := varByteArray(utf8(s))
 * </pre>
 * The payload is the rest of the frame, forwarded untouched.
 */
record RelayFrame(String room, String peer, byte[] payload) {
  /** The message tag of relay and relayed frames. */
  static final int TAG = 1;

  /**
   * Reads a client's relay frame; {@code peer} is its {@code to}. Throws
   * MalformedUpdateException, naming the byte offset, for a wrong tag, a truncated or oversized
   * length, or a name that is not UTF-8.
   */
  static RelayFrame decode(byte[] frame) {
    Decoder d = new Decoder(frame);
    int tag = d.readVarUint();
    if (tag != TAG) {
      throw new MalformedUpdateException("unknown binary message tag " + tag, 0);
    }
    String room = readString(d, "room");
    String to = readString(d, "to");
    byte[] payload = new byte[d.remaining()];
    System.arraycopy(frame, d.position(), payload, 0, payload.length);
    return new RelayFrame(room, to, payload);
  }

  private static String readString(Decoder d, String what) {
    int at = d.position();
    byte[] utf8 = d.readVarBytes();
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(utf8)).toString();
    } catch (CharacterCodingException e) {
      throw new MalformedUpdateException(what + " is not UTF-8", at);
    }
  }

  /** Writes the frame with {@code peer} in the third field: a relayed frame (from) or a relay (to). */
  byte[] encode() {
    Encoder e = new Encoder();
    e.writeVarUint(TAG);
    e.writeVarBytes(room.getBytes(StandardCharsets.UTF_8));
    e.writeVarBytes(peer.getBytes(StandardCharsets.UTF_8));
    e.writeRaw(payload, 0, payload.length);
    return e.toBytes();
  }
}
