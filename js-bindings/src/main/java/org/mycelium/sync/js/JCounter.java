package org.mycelium.sync.js;

import org.mycelium.sync.Counter;
import org.teavm.jso.JSExport;
import org.teavm.jso.JSProperty;

/** The raw export of a {@link Counter}; the glue has checked every argument. */
public final class JCounter {
  private final Counter counter;

  JCounter(Counter counter) {
    this.counter = counter;
  }

  @JSExport
  public void increment(double amount) {
    counter.increment(amount);
  }

  @JSExport
  @JSProperty
  public double getValue() {
    return counter.value();
  }

  @JSExport
  public void observe(Callbacks.EventFn fn) {
    counter.observe(e -> fn.call(JDoc.event(e)));
  }
}
