// The room demo: one shared text bound to a textarea, the provider's peers and presence.
MyceliumSync.ready.then(function (M) {
  'use strict';
  var params = new URLSearchParams(location.search);
  var room = params.get('room') || 'demo';
  var doc = new M.Doc();
  var text = doc.getText('note');
  var provider = new M.WebrtcProvider(room, doc, { webrtc: params.get('webrtc') !== '0' });
  var note = document.getElementById('note');
  var names = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken'];
  provider.awareness.setLocalState({ name: names[doc.clientId % names.length] + ' ' + (doc.clientId % 100) });
  document.getElementById('room').textContent = room;
  note.disabled = false;

  // Local typing: the one changed range between the old and the new value becomes one transaction.
  var shown = '';
  note.addEventListener('input', function () {
    var now = note.value, start = 0, endOld = shown.length, endNew = now.length;
    while (start < endOld && start < endNew && shown[start] === now[start]) start++;
    while (endOld > start && endNew > start && shown[endOld - 1] === now[endNew - 1]) { endOld--; endNew--; }
    doc.transact(function () {
      if (endOld > start) text.delete(start, endOld - start);
      if (endNew > start) text.insert(start, now.slice(start, endNew));
    }, 'textarea');
    shown = now;
  });
  // Remote changes: rewrite the textarea and move the cursor along with the edits before it.
  text.observe(function (e) {
    if (e.origin === 'textarea') return;
    var pos = 0, cursor = note.selectionStart, end = note.selectionEnd;
    e.delta.forEach(function (op) {
      if (op.retain) pos += op.retain;
      else if (op.insert) { if (pos <= cursor) cursor += op.insert.length; if (pos <= end) end += op.insert.length; pos += op.insert.length; }
      else if (op.delete) { if (pos < cursor) cursor -= Math.min(op.delete, cursor - pos); if (pos < end) end -= Math.min(op.delete, end - pos); }
    });
    shown = text.toString();
    note.value = shown;
    note.setSelectionRange(cursor, end);
  });

  function showPeers() {
    var rows = provider.peers.map(function (p) {
      return '<tr><td><code>' + p.id.slice(0, 6) + '</code></td><td>' + p.path + '</td><td>' + (p.synced ? 'yes' : 'no') +
        '</td><td>' + p.bytesIn + ' B</td><td>' + p.bytesOut + ' B</td><td>' + p.dropped + '</td></tr>';
    });
    document.getElementById('peers').innerHTML = rows.join('') || '<tr><td class="muted" colspan="6">alone so far</td></tr>';
  }
  function showPresence() {
    var out = [];
    provider.awareness.getStates().forEach(function (s, client) {
      var name = s && typeof s.name === 'string' ? s.name : String(client);
      out.push(client === doc.clientId ? name + ' (you)' : name);
    });
    document.getElementById('presence').textContent = out.join(', ') || '–';
  }
  provider.on('status', function (e) { document.getElementById('status').textContent = e.status; });
  provider.on('peers', showPeers);
  provider.on('synced', showPeers);
  provider.awareness.on('change', showPresence);
  setInterval(showPeers, 1000);
  document.getElementById('status').textContent = provider.status;
  showPresence();
  window.demo = { doc: doc, provider: provider };
});
