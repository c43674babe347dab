package org.mycelium.sync.js;

import org.mycelium.sync.Encoder;
import org.teavm.jso.JSExport;
import org.teavm.jso.typedarrays.Uint8Array;

/** The JavaScript surface of the engine: every {@code @JSExport} here is a function of the raw exports. */
public final class MyceliumModule {
  private MyceliumModule() {
  }

  /** Encodes a non-negative int as the wire format's varuint; the smoke test of the build. */
  @JSExport
  public static Uint8Array encodeVarUint(int value) {
    Encoder e = new Encoder();
    e.writeVarUint(value);
    return Bytes.toJs(e.toBytes());
  }
}
