// The harness of the provider tests (dev-server ProviderBrowserTest) and measurements: one doc,
// one provider, seeded random edits, and state snapshots the test compares between browsers.
self.H = (function () {
  'use strict';
  var H = { doc: null, provider: null, events: [], log: [], rng: null };

  // mulberry32: a small seeded PRNG, so a failing run can be replayed from its seed.
  function rng(seed) {
    return function () {
      seed |= 0; seed = seed + 0x6D2B79F5 | 0;
      var t = Math.imul(seed ^ seed >>> 15, 1 | seed);
      t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
      return ((t ^ t >>> 14) >>> 0) / 4294967296;
    };
  }

  function watch(p) {
    ['status', 'peers', 'synced'].forEach(function (name) {
      p.on(name, function (e) { H.events.push([name, JSON.parse(JSON.stringify(e))]); });
    });
    p.awareness.on('change', function (e) { H.events.push(['awareness', e]); });
    p.on('debug', function (line) { H.log.push(line); });
  }

  /** Creates the doc (clientId) and a provider on room; returns the provider id. */
  H.open = function (room, options, clientId) {
    H.doc = new MyceliumSync.Doc({ clientId: clientId });
    return H.connect(room, options);
  };
  /**
   * A new provider on the same doc (after destroy). Its debug trace is on unless the options
   * say otherwise: it goes to H.log, which a failing test prints.
   */
  H.connect = function (room, options) {
    options = Object.assign({ debug: true }, options || {});
    H.provider = new MyceliumSync.WebrtcProvider(room, H.doc, options);
    watch(H.provider);
    return H.provider.id;
  };
  H.destroy = function () { H.provider.destroy(); };

  /** n random edits of text 't', list 'l' and map 'm' by this replica, tagged with tag. */
  H.edit = function (tag, n, seed) {
    var r = rng(seed), doc = H.doc, t = doc.getText('t'), l = doc.getList('l'), m = doc.getMap('m');
    for (var i = 0; i < n; i++) {
      var k = r();
      if (k < 0.45) t.insert(Math.floor(r() * (t.length + 1)), tag + i + ' ');
      else if (k < 0.55 && t.length > 3) t.delete(Math.floor(r() * (t.length - 2)), 2);
      else if (k < 0.75) l.insert(Math.floor(r() * (l.length + 1)), [tag + i]);
      else if (k < 0.8 && l.length > 0) l.delete(Math.floor(r() * l.length), 1);
      else m.set('k' + Math.floor(r() * 8), tag + i);
    }
  };

  /** JSON of [doc.toJSON(), full-state bytes]: equal strings mean converged replicas. */
  H.state = function () {
    return JSON.stringify([H.doc.toJSON(), Array.from(H.doc.encodeStateAsUpdate())]);
  };
  H.peers = function () { return H.provider ? H.provider.peers : []; };
  /** Comma-separated "path:synced" of every peer, sorted: what the tests wait for. */
  H.paths = function () {
    return H.peers().map(function (p) { return p.path + ':' + p.synced; }).sort().join(',');
  };

  /** Fills text 't' with about `chars` characters in `pieces` inserts at random places. */
  H.fill = function (chars, pieces, seed) {
    var r = rng(seed), t = H.doc.getText('t'), size = Math.ceil(chars / pieces), s = '';
    for (var i = 0; i < size; i++) s += String.fromCharCode(97 + (i % 26));
    for (var j = 0; j < pieces; j++) t.insert(Math.floor(r() * (t.length + 1)), s);
    return t.length;
  };

  /**
   * Measures a late join: a new doc and provider on room; resolves with the ms from creation
   * until it is synced with every peer and its text has `expect` characters.
   */
  H.timeJoin = function (room, options, expect) {
    var start = performance.now();
    H.open(room, options);
    var t = H.doc.getText('t');
    return new Promise(function (resolve) {
      function check() {
        if (H.provider.synced && H.provider.peers.length > 0 && t.length === expect) {
          resolve(performance.now() - start);
        } else {
          setTimeout(check, 2);
        }
      }
      check();
    });
  };

  /** Sender side of the throughput run: n single-character inserts, one transaction each. */
  H.sendOps = function (n) {
    var t = H.doc.getText('t');
    var start = Date.now();
    for (var i = 0; i < n; i++) t.insert(t.length, 'x');
    return { start: start, localMs: Date.now() - start };
  };
  /**
   * The same, but each transaction in its own task (a MessageChannel hop between them), so that
   * every insert travels as its own message: the provider merges only what one task wrote.
   */
  H.sendOpsSpread = function (n) {
    var t = H.doc.getText('t'), ch = new MessageChannel(), i = 0, start = Date.now();
    H.spreadMs = -1;
    ch.port1.onmessage = function () {
      t.insert(t.length, 'x');
      if (++i < n) ch.port2.postMessage(0); else { ch.port1.close(); H.spreadMs = Date.now() - start; }
    };
    ch.port2.postMessage(0);
    return { start: start, localMs: -1 };
  };
  /** Receiver side: resolves with Date.now() once text 't' has n characters. */
  H.awaitLength = function (n) {
    var t = H.doc.getText('t');
    return new Promise(function (resolve) {
      if (t.length >= n) { resolve(Date.now()); return; }
      var off = t.observe(function () { if (t.length >= n) { off(); resolve(Date.now()); } });
    });
  };
  return H;
})();
