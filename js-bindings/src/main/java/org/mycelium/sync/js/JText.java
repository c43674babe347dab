package org.mycelium.sync.js;

import org.mycelium.sync.Text;
import org.teavm.jso.JSExport;
import org.teavm.jso.JSProperty;

/** The raw export of a {@link Text}; the glue has checked every argument. */
public final class JText {
  private final Text text;

  JText(Text text) {
    this.text = text;
  }

  @JSExport
  public void insert(int index, String s) {
    text.insert(index, s);
  }

  @JSExport
  public void delete(int index, int length) {
    text.delete(index, length);
  }

  @JSExport
  @JSProperty
  public int getLength() {
    return text.length();
  }

  /** The text as a string (exported under another name than toString, which JS objects already have). */
  @JSExport
  public String content() {
    return text.toString();
  }

  @JSExport
  public void observe(Callbacks.EventFn fn) {
    text.observe(e -> fn.call(JDoc.event(e)));
  }
}
