// The API assertion suite: one script, run in Chromium on the wasm build, in Chromium on the JS
// fallback, and in HtmlUnit on the JS fallback (dev-server's ApiAssertionsTest), and by hand at
// /selftest/?engine=wasm|js. runApiAssertions(M, seed) returns {passed, failed, failures, log}.
function runApiAssertions(M, seed) {
  'use strict';
  var passed = 0, failures = [], log = [];
  function check(cond, what) { if (cond) passed++; else failures.push(what); }
  function eq(actual, expected, what) {
    var a = JSON.stringify(actual), e = JSON.stringify(expected);
    check(a === e, what + ': expected ' + e + ', got ' + a);
  }
  function bytesEq(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  function throwsKind(Kind, fn, what) {
    try { fn(); } catch (e) {
      check(e instanceof Kind && e.constructor === Kind, what + ': expected ' + Kind.name + ', got ' + (e && e.constructor && e.constructor.name) + ' ' + (e && e.message));
      check(typeof e.message === 'string' && e.message.length > 10, what + ': error message too short: ' + e.message);
      return e;
    }
    check(false, what + ': expected ' + Kind.name + ', nothing was thrown');
    return null;
  }
  // A bad call must change nothing: compare the full state before and after.
  function unchanged(doc, fn, Kind, what) {
    var before = doc.encodeStateAsUpdate(), json = JSON.stringify(doc.toJSON());
    throwsKind(Kind, fn, what);
    check(bytesEq(before, doc.encodeStateAsUpdate()), what + ': state bytes changed');
    eq(doc.toJSON(), JSON.parse(json), what + ': value changed');
  }
  var rnd = (function (s) { return function () { s = (s * 1103515245 + 12345) & 0x7fffffff; return s / 0x80000000; }; })(seed || 1);
  function sync(a, b) {
    a.applyUpdate(b.encodeStateAsUpdate(a.encodeStateVector()));
    b.applyUpdate(a.encodeStateAsUpdate(b.encodeStateVector()));
  }
  function sameState(a, b, what) {
    eq(a.toJSON(), b.toJSON(), what + ' (values)');
    check(bytesEq(a.encodeStateVector(), b.encodeStateVector()), what + ' (state vectors)');
    check(bytesEq(a.encodeStateAsUpdate(), b.encodeStateAsUpdate()), what + ' (full-state bytes)');
  }

  // ---- module ----
  check(M.engine === 'wasm' || M.engine === 'js', 'engine is wasm or js: ' + M.engine);
  check(typeof M.version === 'string' && /^\d+\.\d+\.\d+/.test(M.version), 'version: ' + M.version);
  check(typeof M.readyMs === 'number' && M.readyMs >= 0, 'readyMs is a number');

  // ---- Doc ----
  var d = new M.Doc();
  check(d.clientId === Math.floor(d.clientId) && d.clientId >= 0 && d.clientId < 2147483648, 'random clientId in [0, 2^31)');
  eq(new M.Doc({ clientId: 42 }).clientId, 42, 'clientId option');
  throwsKind(TypeError, function () { new M.Doc({ clientId: 'x' }); }, 'clientId string');
  throwsKind(TypeError, function () { new M.Doc({ clientId: 1.5 }); }, 'clientId fraction');
  throwsKind(RangeError, function () { new M.Doc({ clientId: -1 }); }, 'clientId negative');
  throwsKind(RangeError, function () { new M.Doc({ clientId: 2147483648 }); }, 'clientId 2^31');
  throwsKind(TypeError, function () { M.Doc(); }, 'Doc without new');
  throwsKind(TypeError, function () { d.getText(5); }, 'getText(number)');
  check(d.getText('t') === d.getText('t'), 'getText returns the same instance');
  throwsKind(Error, function () { d.getMap('t'); }, 'getMap on a text name');
  eq(d.toJSON(), { t: '' }, 'toJSON of a doc with one empty text');

  // ---- Text ----
  var a = new M.Doc({ clientId: 1 }), t = a.getText('notes');
  t.insert(0, 'hello');
  t.insert(5, ' world');
  t.insert(0, '>');
  eq(t.toString(), '>hello world', 'text inserts');
  eq(t.length, 12, 'text length');
  t.delete(0, 1);
  t.delete(5, 6);
  eq(t.toString(), 'hello', 'text deletes');
  eq(String(t), 'hello', 'String(text)');
  unchanged(a, function () { t.insert(6, 'x'); }, RangeError, 'text insert past the end');
  unchanged(a, function () { t.insert(-1, 'x'); }, RangeError, 'text insert at -1');
  unchanged(a, function () { t.insert('0', 'x'); }, TypeError, 'text insert index string');
  unchanged(a, function () { t.insert(1.5, 'x'); }, TypeError, 'text insert index fraction');
  unchanged(a, function () { t.insert(NaN, 'x'); }, TypeError, 'text insert index NaN');
  unchanged(a, function () { t.insert(0, 5); }, TypeError, 'text insert number');
  unchanged(a, function () { t.insert(0, null); }, TypeError, 'text insert null');
  unchanged(a, function () { t.delete(0, 6); }, RangeError, 'text delete past the end');
  unchanged(a, function () { t.delete(5, 1); }, RangeError, 'text delete at the end');
  unchanged(a, function () { t.delete(0, -1); }, RangeError, 'text delete negative length');
  unchanged(a, function () { t.delete(undefined, 1); }, TypeError, 'text delete undefined index');

  // Unicode: indices count UTF-16 code units; everything round-trips exactly.
  var u = new M.Doc({ clientId: 2 }), ut = u.getText('u');
  var s = 'a😀b — ✓ 中文 עברית e\u0301 \u0000 🏳️‍🌈 𝄞';
  ut.insert(0, s);
  eq(ut.length, s.length, 'unicode length in UTF-16 units');
  eq(ut.toString(), s, 'unicode round-trip');
  ut.delete(1, 2);
  eq(ut.toString(), s.slice(0, 1) + s.slice(3), 'delete one emoji (2 units)');
  var u2 = new M.Doc({ clientId: 3 });
  u2.applyUpdate(u.encodeStateAsUpdate());
  eq(u2.getText('u').toString(), ut.toString(), 'unicode through an update');
  // Splitting a surrogate pair in the middle must still converge byte for byte.
  ut.insert(0, '😀');
  ut.insert(1, 'x');
  sync(u, u2);
  sameState(u, u2, 'text split inside a surrogate pair');

  // ---- List ----
  var l = a.getList('todos');
  l.insert(0, [1, 'two', true, null, { k: [1, { x: 'y' }] }, [3, 4], -0.5, 1e300]);
  eq(l.length, 8, 'list length');
  eq(l.toJSON(), [1, 'two', true, null, { k: [1, { x: 'y' }] }, [3, 4], -0.5, 1e300], 'list JSON values');
  eq(l.get(1), 'two', 'list get');
  check(l.get(8) === undefined, 'list get past the end is undefined');
  l.push(['last']);
  l.unshift(['first']);
  l.delete(1, 8);
  eq(l.toArray(), ['first', 'last'], 'list push, unshift, delete');
  l.delete(0);
  eq(l.toJSON(), ['last'], 'list delete with default length 1');
  unchanged(a, function () { l.insert(0, 'x'); }, TypeError, 'list insert a non-array');
  unchanged(a, function () { l.insert(0, [undefined]); }, TypeError, 'list insert undefined');
  unchanged(a, function () { l.insert(0, [function () {}]); }, TypeError, 'list insert function');
  unchanged(a, function () { l.insert(0, [NaN]); }, TypeError, 'list insert NaN');
  unchanged(a, function () { l.insert(0, [Infinity]); }, TypeError, 'list insert Infinity');
  unchanged(a, function () { l.insert(0, [new Date()]); }, TypeError, 'list insert Date');
  var cyc = {}; cyc.self = cyc;
  unchanged(a, function () { l.insert(0, [cyc]); }, TypeError, 'list insert cyclic');
  unchanged(a, function () { l.insert(3, [1]); }, RangeError, 'list insert past the end');
  unchanged(a, function () { l.delete(0, 2); }, RangeError, 'list delete past the end');
  unchanged(a, function () { l.insert(0, [l]); }, TypeError, 'list insert a shared type as a value');

  // nested types: a todo list is a list of maps
  var item = l.insertMap(0);
  item.set('title', 'write tests');
  item.set('done', false);
  var sub = item.setList('tags');
  sub.push(['a', 'b']);
  var note = l.insertText(1);
  note.insert(0, 'nested text');
  var inner = l.insertList(2);
  inner.push([1, 2]);
  check(l.get(0) === item, 'nested map keeps its identity through get');
  check(l.get(1) instanceof M.Text && l.get(2) instanceof M.List, 'nested text and list are wrapped');
  eq(l.toJSON(), [{ done: false, tags: ['a', 'b'], title: 'write tests' }, 'nested text', [1, 2], 'last'], 'nested JSON');

  // ---- Map ----
  var m = a.getMap('meta');
  check(m.set('n', 1) === 1, 'map set returns the value');
  m.set('s', 'x'); m.set('o', { a: [1] }); m.set('z', null);
  eq(m.keys(), ['n', 'o', 's', 'z'], 'map keys, sorted');
  eq(m.size, 4, 'map size');
  check(m.has('z') && !m.has('nope'), 'map has');
  check(m.get('nope') === undefined, 'map get of a missing key');
  eq(m.get('o'), { a: [1] }, 'map get object');
  m.delete('n');
  m.delete('nope');
  eq(m.toJSON(), { o: { a: [1] }, s: 'x', z: null }, 'map delete');
  var mm = m.setMap('child');
  mm.set('deep', true);
  check(m.get('child') === mm, 'nested map identity');
  eq(m.get('child').toJSON(), { deep: true }, 'nested map JSON');
  eq(m.entries().length, 4, 'map entries');
  unchanged(a, function () { m.set(1, 'x'); }, TypeError, 'map set number key');
  unchanged(a, function () { m.set('k', undefined); }, TypeError, 'map set undefined');
  if (typeof Symbol === 'function') unchanged(a, function () { m.set('k', Symbol('s')); }, TypeError, 'map set symbol');
  if (typeof BigInt === 'function') unchanged(a, function () { m.set('k', BigInt(10)); }, TypeError, 'map set bigint');
  throwsKind(TypeError, function () { m.get(null); }, 'map get null key');

  // ---- Counter ----
  var c = a.getCounter('votes');
  c.increment(); c.increment(5); c.decrement(2); c.increment(0.5);
  eq(c.value, 4.5, 'counter value');
  unchanged(a, function () { c.increment('1'); }, TypeError, 'counter increment string');
  unchanged(a, function () { c.increment(Infinity); }, TypeError, 'counter increment Infinity');

  // ---- events: one update and one observer call per transaction, with deltas and origin ----
  var ev = new M.Doc({ clientId: 10 }), et = ev.getText('t'), el = ev.getList('l'), em = ev.getMap('m'), ec = ev.getCounter('c');
  var updates = [], tEvents = [], lEvents = [], mEvents = [], cEvents = [];
  function onUpdate(update, origin) { updates.push([update, origin]); }
  ev.on('update', onUpdate);
  var unT = et.observe(function (e) { tEvents.push(e); });
  el.observe(function (e) { lEvents.push(e); });
  em.observe(function (e) { mEvents.push(e); });
  ec.observe(function (e) { cEvents.push(e); });
  et.insert(0, 'abc');
  eq(updates.length, 1, 'one update per implicit transaction');
  check(updates[0][0] instanceof Uint8Array, 'update is a Uint8Array');
  eq(tEvents[0].delta, [{ insert: 'abc' }], 'text delta insert');
  check(tEvents[0].target === et && tEvents[0].local === true, 'event target and local');
  var origin = { who: 'me' };
  ev.transact(function () { et.insert(1, 'X'); et.delete(3, 1); el.push([1, 2]); em.set('k', 'v'); ec.increment(3); }, origin);
  eq(updates.length, 2, 'one update per transaction');
  check(updates[1][1] === origin, 'update carries the origin');
  eq(tEvents.length, 2, 'one text event per transaction');
  eq(tEvents[1].delta, [{ retain: 1 }, { insert: 'X' }, { retain: 1 }, { delete: 1 }], 'text delta retain/insert/delete');
  check(tEvents[1].origin === origin, 'event carries the origin');
  eq(lEvents[0].delta, [{ insert: [1, 2] }], 'list delta');
  eq(mEvents[0].keys, { k: { action: 'add' } }, 'map event add');
  em.set('k', 'w');
  eq(mEvents[1].keys, { k: { action: 'update', oldValue: 'v' } }, 'map event update');
  em.delete('k');
  eq(mEvents[2].keys, { k: { action: 'delete', oldValue: 'w' } }, 'map event delete');
  eq(cEvents[0].delta, 3, 'counter event delta');
  unT();
  et.insert(0, 'q');
  eq(tEvents.length, 2, 'unsubscribed observer is not called');
  ev.off('update', onUpdate);
  var before = updates.length;
  et.insert(0, 'q');
  eq(updates.length, before, 'off removes the update listener');
  var thrown = null;
  try { ev.transact(function () { et.insert(0, 'Z'); throw new Error('inside'); }); } catch (e) { thrown = e; }
  check(thrown && thrown.message === 'inside', 'an exception in transact propagates');
  eq(et.toString().charAt(0), 'Z', 'changes made before the exception are kept');
  throwsKind(TypeError, function () { ev.transact('nope'); }, 'transact a non-function');
  throwsKind(TypeError, function () { et.observe(null); }, 'observe null');
  throwsKind(TypeError, function () { ev.on('update', 1); }, 'on with a non-function');

  // remote events: applyUpdate fires observers with local=false and the given origin
  var rv = new M.Doc({ clientId: 11 }), rEvents = [];
  rv.getText('t').observe(function (e) { rEvents.push(e); });
  rv.applyUpdate(ev.encodeStateAsUpdate(), 'net');
  eq(rv.getText('t').toString(), et.toString(), 'remote text applied');
  check(rEvents.length === 1 && rEvents[0].local === false && rEvents[0].origin === 'net', 'remote event local=false with origin');

  // ---- updates, state vectors, byte helpers ----
  var p = new M.Doc({ clientId: 20 }), q = new M.Doc({ clientId: 21 });
  p.getText('t').insert(0, 'shared');
  q.applyUpdate(p.encodeStateAsUpdate());
  p.getText('t').insert(6, '!');
  var missing = p.encodeStateAsUpdate(q.encodeStateVector());
  check(missing.length < p.encodeStateAsUpdate().length, 'a state-vector delta is smaller than the full state');
  q.applyUpdate(missing);
  q.applyUpdate(missing);
  sameState(p, q, 'delta applied (twice: idempotent)');
  check(bytesEq(M.encodeStateVectorFromUpdate(p.encodeStateAsUpdate()), p.encodeStateVector()), 'state vector of the full update equals the doc state vector');
  var u1 = [], r1 = new M.Doc({ clientId: 30 });
  r1.on('update', function (b) { u1.push(b); });
  r1.getText('t').insert(0, 'one'); r1.getMap('m').set('a', 1); r1.getText('t').insert(3, 'two');
  var merged = M.mergeUpdates(u1);
  var r2 = new M.Doc({ clientId: 31 });
  r2.applyUpdate(merged);
  sameState(r1, r2, 'merged updates');
  var half = new M.Doc({ clientId: 32 });
  half.applyUpdate(u1[0]);
  var diff = M.diffUpdate(merged, half.encodeStateVector());
  half.applyUpdate(diff);
  sameState(r1, half, 'diffUpdate gives what is missing');
  throwsKind(TypeError, function () { M.mergeUpdates('x'); }, 'mergeUpdates non-array');
  throwsKind(TypeError, function () { M.mergeUpdates([[1, 2]]); }, 'mergeUpdates plain array');
  throwsKind(TypeError, function () { M.diffUpdate(merged); }, 'diffUpdate without a state vector');
  throwsKind(Error, function () { M.mergeUpdates([new Uint8Array([255, 255, 255])]); }, 'mergeUpdates malformed');

  // malformed updates: a clear Error, the doc unchanged
  var full = r1.encodeStateAsUpdate();
  unchanged(p, function () { p.applyUpdate([1, 2, 3]); }, TypeError, 'applyUpdate of a plain array');
  unchanged(p, function () { p.applyUpdate(new Uint8Array([])); }, Error, 'applyUpdate of empty bytes');
  unchanged(p, function () { p.applyUpdate(full.subarray(0, full.length - 3)); }, Error, 'applyUpdate of a truncated update');
  unchanged(p, function () { p.applyUpdate(new Uint8Array([1, 0xff, 0xff, 0xff, 0xff, 0x0f])); }, Error, 'applyUpdate of a huge count');
  for (var f = 0; f < 200; f++) {
    var bad = full.slice();
    var pos = Math.floor(rnd() * bad.length);
    bad[pos] = Math.floor(rnd() * 256);
    var fresh = new M.Doc({ clientId: 99 });
    var beforeBytes = fresh.encodeStateAsUpdate();
    try { fresh.applyUpdate(bad); } catch (e) {
      if (!(e instanceof Error) || e instanceof TypeError || e instanceof RangeError) check(false, 'mutated update: wrong error kind ' + e);
      check(bytesEq(beforeBytes, fresh.encodeStateAsUpdate()), 'mutated update left the doc unchanged');
    }
  }
  check(p.getText('t').toString() === 'shared!', 'the doc still works after bad input');

  // ---- two docs converge with updates delivered in random order, with duplicates ----
  var x = new M.Doc({ clientId: 40 }), y = new M.Doc({ clientId: 41 }), toX = [], toY = [];
  x.on('update', function (b) { toY.push(b); });
  y.on('update', function (b) { toX.push(b); });
  var docs = [x, y];
  for (var step = 0; step < 300; step++) {
    var doc = docs[rnd() < 0.5 ? 0 : 1], r = rnd();
    var txt = doc.getText('t'), lst = doc.getList('l'), map = doc.getMap('m');
    if (r < 0.35) txt.insert(Math.floor(rnd() * (txt.length + 1)), String.fromCharCode(97 + Math.floor(rnd() * 26)) + (rnd() < 0.2 ? '😀' : ''));
    else if (r < 0.5 && txt.length) { var i0 = Math.floor(rnd() * txt.length); txt.delete(i0, Math.min(txt.length - i0, 1 + Math.floor(rnd() * 3))); }
    else if (r < 0.65) lst.insert(Math.floor(rnd() * (lst.length + 1)), [Math.floor(rnd() * 100)]);
    else if (r < 0.72 && lst.length) lst.delete(Math.floor(rnd() * lst.length), 1);
    else if (r < 0.9) map.set('k' + Math.floor(rnd() * 5), rnd() < 0.5 ? step : { step: step });
    else if (r < 0.95) map.delete('k' + Math.floor(rnd() * 5));
    else doc.getCounter('c').increment(1);
    if (rnd() < 0.3) {
      var queue = rnd() < 0.5 ? toX : toY, target = queue === toX ? x : y;
      if (queue.length) {
        var k = Math.floor(rnd() * queue.length);
        target.applyUpdate(queue[k]);
        if (rnd() < 0.7) queue.splice(k, 1); // else: delivered again later (duplicate)
      }
    }
  }
  while (toX.length) x.applyUpdate(toX.splice(Math.floor(rnd() * toX.length), 1)[0]);
  while (toY.length) y.applyUpdate(toY.splice(Math.floor(rnd() * toY.length), 1)[0]);
  check(!x.hasPending && !y.hasPending, 'nothing pending after all updates arrived');
  sameState(x, y, 'random concurrent edits converge');

  // concurrent inserts at one place never interleave
  var i1 = new M.Doc({ clientId: 50 }), i2 = new M.Doc({ clientId: 51 });
  i1.getText('t').insert(0, '[]'); i2.applyUpdate(i1.encodeStateAsUpdate());
  i1.getText('t').insert(1, 'a'); i1.getText('t').insert(2, 'b'); i1.getText('t').insert(3, 'c');
  i2.getText('t').insert(1, 'x'); i2.getText('t').insert(2, 'y'); i2.getText('t').insert(3, 'z');
  sync(i1, i2);
  var merged2 = i1.getText('t').toString();
  check(merged2 === '[abcxyz]' || merged2 === '[xyzabc]', 'no interleaving: ' + merged2);
  sameState(i1, i2, 'non-interleaving docs');

  // concurrent map writes: last writer wins, deterministically
  var w1 = new M.Doc({ clientId: 60 }), w2 = new M.Doc({ clientId: 61 });
  w1.getMap('m').set('k', 'one'); w2.getMap('m').set('k', 'two');
  sync(w1, w2);
  sameState(w1, w2, 'concurrent map set');
  var w3 = new M.Doc({ clientId: 62 }), w4 = new M.Doc({ clientId: 63 });
  w3.getCounter('c').increment(2); w4.getCounter('c').increment(-5);
  sync(w3, w4);
  eq(w3.getCounter('c').value, -3, 'concurrent counter increments sum');

  // ---- WebrtcProvider: argument checks, and a provider with no network at all ----
  var pd = new M.Doc({ clientId: 70 }), P = M.WebrtcProvider, none = { signaling: [], tabs: false };
  throwsKind(TypeError, function () { P('r', pd, none); }, 'provider without new');
  throwsKind(TypeError, function () { new P(5, pd, none); }, 'provider room number');
  throwsKind(RangeError, function () { new P('', pd, none); }, 'provider room empty');
  throwsKind(RangeError, function () { new P(new Array(258).join('r'), pd, none); }, 'provider room too long');
  throwsKind(TypeError, function () { new P('r', {}, none); }, 'provider doc not a Doc');
  throwsKind(TypeError, function () { new P('r', pd, 'x'); }, 'provider options string');
  throwsKind(TypeError, function () { new P('r', pd, { signaling: 5 }); }, 'signaling number');
  throwsKind(TypeError, function () { new P('r', pd, { signaling: ['http://x/signal'] }); }, 'signaling http URL');
  throwsKind(TypeError, function () { new P('r', pd, { signaling: [], webrtc: 'no' }); }, 'webrtc string');
  throwsKind(TypeError, function () { new P('r', pd, { signaling: [], tabs: 1 }); }, 'tabs number');
  throwsKind(TypeError, function () { new P('r', pd, { signaling: [], maxConns: 1.5 }); }, 'maxConns fraction');
  throwsKind(RangeError, function () { new P('r', pd, { signaling: [], maxConns: -1 }); }, 'maxConns negative');
  throwsKind(RangeError, function () { new P('r', pd, { signaling: [], connectTimeout: 0 }); }, 'connectTimeout 0');
  throwsKind(TypeError, function () { new P('r', pd, { signaling: [], debug: 1 }); }, 'debug number');
  throwsKind(TypeError, function () { new P('r', pd, { signaling: [], iceServers: {} }); }, 'iceServers object');
  throwsKind(TypeError, function () { new P('r', pd, { signaling: [], iceServers: [{ urls: 'http://x' }] }); }, 'iceServers http');
  throwsKind(TypeError, function () { new P('r', pd, { signaling: [], iceServers: [{ urls: 'turn:x', username: 5 }] }); }, 'iceServers username');
  var lone = new P('lone-' + seed, pd, { signaling: [], tabs: false, iceServers: [{ urls: ['stun:127.0.0.1:1'] }] });
  eq(lone.peers, [], 'a lone provider has no peers');
  eq(lone.status, 'disconnected', 'no signaling and no tabs: disconnected');
  check(typeof lone.id === 'string' && lone.id.length === 16, 'provider id: ' + lone.id);
  check(lone.awareness.clientId === 70, 'awareness clientId is the doc clientId');
  lone.awareness.setLocalState({ name: 'Ada' });
  eq(lone.awareness.getLocalState(), { name: 'Ada' }, 'awareness local state');
  eq(lone.awareness.getStates().get(70), { name: 'Ada' }, 'awareness getStates has this client');
  lone.awareness.setLocalStateField('x', 1);
  eq(lone.awareness.getStates().get(70), { name: 'Ada', x: 1 }, 'awareness setLocalStateField');
  throwsKind(TypeError, function () { lone.awareness.setLocalState(function () {}); }, 'awareness state not JSON');
  lone.awareness.setLocalState(null);
  eq(lone.awareness.getStates().size, 0, 'awareness state removed');
  pd.getText('t').insert(0, 'still local');
  lone.destroy();
  lone.destroy();
  eq(lone.status, 'disconnected', 'destroyed provider is disconnected');
  pd.getText('t').insert(0, '!');
  eq(pd.getText('t').toString(), '!still local', 'the doc works after destroy');

  log.push('engine=' + M.engine + ' passed=' + passed + ' failed=' + failures.length);
  return { passed: passed, failed: failures.length, failures: failures.slice(0, 50), log: log };
}
if (typeof module === 'object' && module.exports) module.exports = runApiAssertions;
