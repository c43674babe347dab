// The demo: one room (from the URL), one doc with a text, a todo list (a list of maps), presence
// and a peers panel. Plain JavaScript on top of dist/mycelium-sync.js.
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var COLOURS = ['#d9480f', '#2b8a3e', '#1c7ed6', '#ae3ec9', '#e67700', '#0c8599', '#c2255c', '#5f3dc4'];

  // ---- the room comes from the URL: ?room=name (or #name); sharing the URL invites someone ----
  function randomRoom() {
    var a = new Uint32Array(2);
    crypto.getRandomValues(a);
    return 'room-' + a[0].toString(36) + a[1].toString(36).slice(0, 3);
  }
  var params = new URLSearchParams(location.search);
  var room = params.get('room') || location.hash.slice(1);
  if (!room || !/^[\w.-]{1,64}$/.test(room)) {
    room = randomRoom();
    params.set('room', room);
    history.replaceState(null, '', location.pathname + '?' + params.toString());
  }
  $('room-name').value = room;
  $('new-room').onclick = function () { location.href = location.pathname + '?room=' + randomRoom(); };
  $('copy-link').onclick = function () {
    var done = function () { $('copy-link').textContent = 'Copied'; setTimeout(function () { $('copy-link').textContent = 'Copy link'; }, 1500); };
    if (navigator.clipboard) navigator.clipboard.writeText(location.href).then(done, function () { prompt('Share this link', location.href); });
    else prompt('Share this link', location.href);
  };

  function setStatus(state, label) {
    var b = $('net-status');
    b.dataset.state = state;
    b.textContent = label;
  }

  MyceliumSync.ready.then(start, function (e) { setStatus('error', 'engine failed: ' + e.message); });

  function start(M) {
    var doc = new M.Doc();
    var text = doc.getText('notes');
    var todos = doc.getList('todos');
    var updates = 0, bytes = 0;
    doc.on('update', function (u) { updates++; bytes += u.length; });
    function showDocStats() {
      $('doc-size').textContent = doc.encodeStateAsUpdate().length.toLocaleString() + ' bytes encoded';
      $('doc-ops').textContent = updates + ' (' + bytes.toLocaleString() + ' bytes) since this page opened';
    }
    showDocStats();

    // ---- network: WebRTC mesh, tabs, relay ----
    var provider = null, lastDropped = [];
    if (typeof M.WebrtcProvider === 'function') {
      var scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
      // ?webrtc=0 sends everything through the server's relay
      provider = new M.WebrtcProvider(room, doc, { signaling: [scheme + location.host + '/signal'], webrtc: params.get('webrtc') !== '0' });
      provider.on('status', function (e) {
        if (e.status === 'connected') setStatus('ok', 'online');
        else if (e.status === 'connecting') setStatus('warn', 'connecting…');
        else setStatus('warn', navigator.onLine === false ? 'offline: edits are kept and sent when back' : 'reconnecting…');
      });
      provider.on('peers', function (e) {
        if (e.dropped && e.dropped.length) lastDropped = e.dropped;
        renderPeers(e.peers || provider.peers, lastDropped);
      });
      window.addEventListener('beforeunload', function () { provider.destroy(); });
    } else {
      setStatus('warn', 'local only (no network provider in this build)');
    }
    window.demo = { doc: doc, provider: provider }; // for the console and the tests

    // ---- shared text with remote carets ----
    var editor = $('editor');
    var awareness = provider && provider.awareness;
    bindTextarea(text, editor, publishCaret);
    function publishCaret() {
      if (awareness) {
        var me = awareness.getLocalState() || {};
        me.cursor = document.activeElement === editor ? { anchor: editor.selectionStart, head: editor.selectionEnd } : null;
        awareness.setLocalState(me);
      }
      renderCarets();
    }
    ['select', 'keyup', 'click', 'focus', 'blur'].forEach(function (ev) { editor.addEventListener(ev, publishCaret); });
    editor.addEventListener('scroll', renderCarets);
    window.addEventListener('resize', renderCarets);

    // awareness.getStates() is a Map from client id to state; the renderers walk a plain object.
    function plainStates(map) {
      var out = {};
      map.forEach(function (s, id) { out[id] = s; });
      return out;
    }

    function renderCarets() {
      var layer = $('carets');
      layer.textContent = '';
      if (!awareness) return;
      var states = plainStates(awareness.getStates());
      Object.keys(states).forEach(function (id) {
        var s = states[id];
        if (Number(id) === doc.clientId || !s || !s.cursor) return;
        var pos = Math.min(s.cursor.head, editor.value.length);
        var c = caretCoordinates(editor, $('editor-mirror'), pos);
        var caret = document.createElement('div');
        caret.className = 'caret';
        caret.style.cssText = 'top:' + c.top + 'px;left:' + c.left + 'px;height:' + c.height + 'px;border-color:' + s.colour;
        var tag = document.createElement('span');
        tag.textContent = s.name || 'anonymous';
        tag.style.background = s.colour;
        caret.appendChild(tag);
        layer.appendChild(caret);
      });
    }

    // ---- todo list: a list of maps {title, done} ----
    $('todo-form').onsubmit = function (e) {
      e.preventDefault();
      var title = $('todo-input').value.trim();
      if (!title) return;
      doc.transact(function () {
        var item = todos.insertMap(todos.length);
        item.set('title', title);
        item.set('done', false);
      });
      $('todo-input').value = '';
    };
    function moveTodo(from, to) {
      var item = todos.get(from);
      var copy = { title: item.get('title'), done: item.get('done') };
      doc.transact(function () {
        todos.delete(from, 1);
        var moved = todos.insertMap(to);
        moved.set('title', copy.title);
        moved.set('done', copy.done);
      });
    }
    function renderTodos() {
      var ul = $('todo-list'), focused = document.activeElement, editing = focused && focused.dataset && focused.dataset.todo;
      if (editing !== undefined && ul.contains(focused)) return; // do not pull the field from under the typist
      ul.textContent = '';
      todos.toArray().forEach(function (item, i) {
        if (!(item instanceof M.Map)) return;
        var li = document.createElement('li');
        li.className = item.get('done') ? 'done' : '';
        var box = document.createElement('input');
        box.type = 'checkbox';
        box.checked = !!item.get('done');
        box.setAttribute('aria-label', 'done');
        box.onchange = function () { item.set('done', box.checked); };
        var title = document.createElement('input');
        title.className = 'title';
        title.value = item.get('title') || '';
        title.dataset.todo = String(i);
        title.onchange = function () { item.set('title', title.value); };
        title.onblur = function () { setTimeout(renderTodos, 0); };
        var up = button('↑', 'move up', function () { if (i > 0) moveTodo(i, i - 1); });
        var down = button('↓', 'move down', function () { if (i < todos.length - 1) moveTodo(i, i + 1); });
        var del = button('✕', 'delete', function () { todos.delete(i, 1); });
        li.append(box, title, up, down, del);
        ul.appendChild(li);
      });
    }
    function button(label, title, fn) {
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = label;
      b.title = title;
      b.setAttribute('aria-label', title);
      b.onclick = fn;
      return b;
    }
    // a change inside any todo (nested maps) comes with the list's own event or the item's:
    // re-render after every transaction that touched the doc
    doc.on('update', function () { renderTodos(); renderCarets(); });
    renderTodos();

    // ---- presence ----
    var name = localStorage.getItem('mycelium-name') || 'guest-' + (doc.clientId % 1000);
    var colour = localStorage.getItem('mycelium-colour') || COLOURS[doc.clientId % COLOURS.length];
    $('my-name').value = name;
    $('my-colour').value = colour;
    function publishMe() {
      if (!awareness) return;
      var me = awareness.getLocalState() || {};
      me.name = $('my-name').value.trim() || 'anonymous';
      me.colour = $('my-colour').value;
      awareness.setLocalState(me);
      localStorage.setItem('mycelium-name', me.name);
      localStorage.setItem('mycelium-colour', me.colour);
      renderPeople();
    }
    $('my-name').addEventListener('input', publishMe);
    $('my-colour').addEventListener('input', publishMe);
    function renderPeople() {
      var ul = $('people');
      ul.textContent = '';
      var states = awareness ? plainStates(awareness.getStates()) : {};
      if (!awareness) states[doc.clientId] = { name: $('my-name').value, colour: $('my-colour').value };
      Object.keys(states).forEach(function (id) {
        var s = states[id];
        if (!s) return;
        var li = document.createElement('li');
        var dot = document.createElement('span');
        dot.className = 'dot';
        dot.style.background = s.colour || '#888';
        li.appendChild(dot);
        li.appendChild(document.createTextNode((s.name || 'anonymous') + (Number(id) === doc.clientId ? ' (you)' : '')));
        li.dataset.client = id;
        ul.appendChild(li);
      });
    }
    if (awareness) awareness.on('change', function () { renderPeople(); renderCarets(); });
    publishMe();
    renderPeople();

    // ---- peers panel ----
    function kb(n) { return n < 1024 ? n + ' B' : (n / 1024).toFixed(1) + ' KB'; }
    function renderPeers(peers, dropped) {
      var body = $('peer-rows');
      body.textContent = '';
      if (!peers || !peers.length) {
        var tr = document.createElement('tr');
        tr.className = 'empty';
        tr.innerHTML = '<td colspan="5">no peers yet: open this page in another window</td>';
        body.appendChild(tr);
      }
      (peers || []).forEach(function (p) {
        var tr = document.createElement('tr');
        tr.dataset.path = p.path;
        var credit = (typeof p.credit === 'number' ? Math.round(p.credit).toLocaleString() : '–')
          + (p.state && p.state !== 'ok' ? ' (' + p.state + ')' : '');
        [String(p.id).slice(0, 8) + (p.synced ? '' : ' (syncing)'), p.path, credit,
          kb(p.bytesIn || 0) + ' / ' + (p.messagesIn || 0), kb(p.bytesOut || 0) + ' / ' + (p.messagesOut || 0)].forEach(function (v) {
          var td = document.createElement('td');
          td.textContent = v;
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
      if (dropped && dropped.length) {
        dropped.forEach(function (d) {
          var tr = document.createElement('tr');
          tr.className = 'dropped';
          var td = document.createElement('td');
          td.colSpan = 5;
          td.textContent = 'peer ' + String(d.id).slice(0, 8) + ' was disconnected: ' + d.reason;
          tr.appendChild(td);
          body.appendChild(tr);
        });
      }
    }
    if (provider) renderPeers(provider.peers);
    // traffic, credit and the document's size change without a 'peers' event: refresh every second
    // (encoding the whole document on every keystroke would cost O(size) per key)
    setInterval(function () { if (provider) renderPeers(provider.peers, lastDropped); showDocStats(); }, 1000);
    window.addEventListener('offline', function () { setStatus('warn', 'offline: edits are kept and sent when back'); });
  }
})();
