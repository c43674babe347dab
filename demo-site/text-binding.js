// Binds a <textarea> to a MyceliumSync.Text: local typing becomes inserts and deletes; remote
// changes are applied to the textarea without moving the local caret or selection out of place.
// Positions are UTF-16 code units, the unit of both the textarea and the Text type.
function bindTextarea(text, textarea, onCaret) {
  'use strict';
  var applying = false;
  textarea.value = text.toString();

  // Local edit: find the changed span by common prefix and suffix, then one delete + one insert.
  function onInput() {
    if (applying) return;
    var before = text.toString(), after = textarea.value;
    if (before === after) return;
    var start = 0, max = Math.min(before.length, after.length);
    while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
    var endB = before.length, endA = after.length;
    while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) { endB--; endA--; }
    text.doc.transact(function () {
      if (endB > start) text.delete(start, endB - start);
      if (endA > start) text.insert(start, after.slice(start, endA));
    }, 'textarea');
    if (onCaret) onCaret();
  }

  // Remote edit: walk the delta, rebuild the value and shift the selection.
  function shift(pos, at, inserted, deleted) {
    if (pos <= at) return pos;
    if (deleted) return Math.max(at, pos - deleted);
    return pos + inserted;
  }
  var unobserve = text.observe(function (e) {
    if (e.local) return;
    var selStart = textarea.selectionStart, selEnd = textarea.selectionEnd, focused = document.activeElement === textarea;
    var index = 0;
    e.delta.forEach(function (op) {
      if (op.retain) index += op.retain;
      else if (op.insert) {
        selStart = shift(selStart, index, op.insert.length, 0);
        selEnd = shift(selEnd, index, op.insert.length, 0);
        index += op.insert.length;
      } else if (op.delete) {
        selStart = shift(selStart, index, 0, op.delete);
        selEnd = shift(selEnd, index, 0, op.delete);
      }
    });
    applying = true;
    textarea.value = text.toString();
    if (focused) textarea.setSelectionRange(selStart, selEnd);
    applying = false;
    if (onCaret) onCaret();
  });

  textarea.addEventListener('input', onInput);
  return function unbind() { textarea.removeEventListener('input', onInput); unobserve(); };
}

// Pixel position of character index `pos` in a textarea, measured with a mirror element that
// copies its font, padding and wrapping.
function caretCoordinates(textarea, mirror, pos) {
  'use strict';
  var cs = getComputedStyle(textarea);
  ['fontFamily', 'fontSize', 'fontWeight', 'lineHeight', 'letterSpacing', 'paddingTop', 'paddingRight',
    'paddingBottom', 'paddingLeft', 'borderTopWidth', 'borderLeftWidth', 'boxSizing', 'tabSize'].forEach(function (p) {
    mirror.style[p] = cs[p];
  });
  mirror.style.width = textarea.clientWidth + 'px';
  mirror.textContent = textarea.value.slice(0, pos);
  var mark = document.createElement('span');
  mark.textContent = textarea.value.slice(pos) || '.';
  mirror.appendChild(mark);
  return { top: mark.offsetTop - textarea.scrollTop, left: mark.offsetLeft - textarea.scrollLeft, height: parseFloat(cs.lineHeight) || 20 };
}
