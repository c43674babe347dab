package org.mycelium.sync.js;

import org.teavm.jso.typedarrays.Int8Array;
import org.teavm.jso.typedarrays.Uint8Array;

/**
 * Copies bytes across the boundary in one bulk operation each way (about 2 µs per KB in
 * Chromium), instead of element by element (about 70 µs per KB for a plain byte[] parameter).
 */
public final class Bytes {
  private Bytes() {
  }

  /** Copies Java bytes into a new Uint8Array. */
  public static Uint8Array toJs(byte[] bytes) {
    Int8Array signed = Int8Array.copyFromJavaArray(bytes);
    return Uint8Array.create(signed.getBuffer(), signed.getByteOffset(), signed.getLength());
  }

  /** Copies a Uint8Array (any view of a buffer) into a new Java array. */
  public static byte[] fromJs(Uint8Array bytes) {
    return Int8Array.create(bytes.getBuffer(), bytes.getByteOffset(), bytes.getLength()).copyToJavaArray();
  }
}
