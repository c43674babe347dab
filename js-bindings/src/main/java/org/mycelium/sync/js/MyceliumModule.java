package org.mycelium.sync.js;

import org.mycelium.sync.Updates;
import org.mycelium.sync.js.provider.JWebrtcProvider;
import org.teavm.jso.JSExport;
import org.teavm.jso.JSExportClasses;
import org.teavm.jso.core.JSArray;
import org.teavm.jso.typedarrays.Uint8Array;

/**
 * The raw JavaScript surface of the engine: the exported classes and the byte-level helpers.
 * Pages never see it directly; the glue (src/main/js/glue.js) wraps it in the public API and
 * checks every argument before a call crosses into the engine.
 */
@JSExportClasses({JDoc.class, JText.class, JList.class, JMap.class, JCounter.class, JWebrtcProvider.class})
public final class MyceliumModule {
  private MyceliumModule() {
  }

  /** Returns and clears the last recorded engine error, "Kind:message", or null. */
  @JSExport
  public static String takeError() {
    return Errors.take();
  }

  /** Merges updates into one; null (error recorded) when one is malformed. */
  @JSExport
  public static Uint8Array mergeUpdates(JSArray<Uint8Array> updates) {
    try {
      byte[][] all = new byte[updates.getLength()][];
      for (int i = 0; i < all.length; i++) {
        all[i] = Bytes.fromJs(updates.get(i));
      }
      return Bytes.toJs(Updates.merge(all));
    } catch (RuntimeException e) {
      Errors.record(e);
      return null;
    }
  }

  /** The part of an update that a replica with this state vector lacks; null on error. */
  @JSExport
  public static Uint8Array diffUpdate(Uint8Array update, Uint8Array stateVector) {
    try {
      return Bytes.toJs(Updates.diff(Bytes.fromJs(update), Bytes.fromJs(stateVector)));
    } catch (RuntimeException e) {
      Errors.record(e);
      return null;
    }
  }

  /** The state vector of what an update contains; null on error. */
  @JSExport
  public static Uint8Array stateVectorFromUpdate(Uint8Array update) {
    try {
      return Bytes.toJs(Updates.stateVector(Bytes.fromJs(update)));
    } catch (RuntimeException e) {
      Errors.record(e);
      return null;
    }
  }
}
