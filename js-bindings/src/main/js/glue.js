// The JavaScript face of MYCELIUM-SYNC. This file is the body shared by dist/mycelium-sync.js
// (classic script, global MyceliumSync) and dist/mycelium-sync.mjs (ES module); the size-budget
// module wraps it and fills in __VERSION__. It loads the wasm-gc engine where the browser can run
// it and the TeaVM JS-target build elsewhere, then wraps the raw exports in the public API.
// `engine` forces 'wasm' or 'js' (from data-engine on the script tag); empty picks the best.
function createMyceliumSync(base, global, engine) {
  'use strict';
  var M = { version: '__VERSION__', engine: null, readyMs: null };
  var raw = null; // the engine's raw exports, set once loaded

  // A 30-byte module that declares a GC struct type and uses try_table: it validates exactly
  // where TeaVM's wasm-gc output can run (Chrome 137, Firefox 131, Safari 18.4 and later).
  var PROBE = [0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 2, 95, 0, 96, 0, 0, 3, 2, 1, 1,
    10, 8, 1, 6, 0, 31, 64, 0, 11, 11];

  function wasmGcSupported() {
    try {
      return typeof WebAssembly === 'object' && WebAssembly.validate(new Uint8Array(PROBE));
    } catch (e) {
      return false;
    }
  }

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      if (typeof document === 'undefined') {
        global.importScripts(url); // a worker
        resolve();
        return;
      }
      var s = document.createElement('script');
      s.src = url;
      s.async = true;
      s.onload = function () { resolve(); };
      s.onerror = function () { reject(new Error('MyceliumSync: could not load ' + url)); };
      (document.head || document.documentElement).appendChild(s);
    });
  }

  function loadWasm() {
    return loadScript(base + 'mycelium-sync.wasm-runtime.js').then(function () {
      return global.TeaVM.wasmGC.load(base + 'mycelium-sync.wasm');
    }).then(function (teavm) {
      M.engine = 'wasm';
      return teavm.exports;
    });
  }

  // The JS-target build is UMD: with a global `exports` object present it writes its exports
  // there instead of onto the page's globals. The object is removed again once it has loaded.
  function loadJs() {
    var target = {};
    var had = Object.prototype.hasOwnProperty.call(global, 'exports');
    var previous = global.exports;
    global.exports = target;
    function restore() {
      if (had) global.exports = previous; else delete global.exports;
    }
    return loadScript(base + 'mycelium-sync.teavm.js').then(function () {
      restore();
      M.engine = 'js';
      return target;
    }, function (e) {
      restore();
      throw e;
    });
  }

  var start = (typeof performance !== 'undefined' ? performance : Date).now();
  var useWasm = engine === 'js' ? false : engine === 'wasm' ? true : wasmGcSupported();
  M.ready = (useWasm ? loadWasm() : loadJs()).then(function (exports) {
    raw = exports;
    M.readyMs = (typeof performance !== 'undefined' ? performance : Date).now() - start;
    return M;
  });

  // ---- argument checks: a wrong type is a TypeError, a bad index or length a RangeError ----

  function fail(Kind, where, what) { throw new Kind('MyceliumSync.' + where + ': ' + what); }
  function describe(v) { return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v; }
  function needReady(where) { if (!raw) fail(Error, where, 'the engine is not loaded yet (await MyceliumSync.ready)'); }
  function needString(v, where, name) { if (typeof v !== 'string') fail(TypeError, where, name + ' must be a string, got ' + describe(v)); }
  function needFunction(v, where) { if (typeof v !== 'function') fail(TypeError, where, 'expected a function, got ' + describe(v)); }
  function needInt(v, where, name) {
    if (typeof v !== 'number' || v !== Math.floor(v) || !isFinite(v)) fail(TypeError, where, name + ' must be an integer, got ' + (typeof v === 'number' ? v : describe(v)));
  }
  function needIndex(v, max, where, name) {
    needInt(v, where, name);
    if (v < 0 || v > max) fail(RangeError, where, name + ' ' + v + ' is outside [0, ' + max + ']');
  }
  function needBytes(v, where, name) {
    if (!(v instanceof Uint8Array)) fail(TypeError, where, name + ' must be a Uint8Array, got ' + describe(v));
  }
  function needKey(v, where) { needString(v, where, 'key'); }
  // JSON values only: null, booleans, finite numbers, strings, arrays and plain objects, no cycles.
  function needJson(v, where, seen) {
    switch (typeof v) {
      case 'string': case 'boolean': return;
      case 'number': if (!isFinite(v)) fail(TypeError, where, v + ' is not a JSON number'); return;
      case 'object':
        if (v === null) return;
        if (v instanceof Shared) fail(TypeError, where, 'a shared type cannot be inserted as a value; use insertMap/insertList/insertText or setMap/setList/setText');
        seen = seen || [];
        if (seen.indexOf(v) >= 0) fail(TypeError, where, 'the value contains a cycle');
        seen.push(v);
        if (Array.isArray(v)) {
          for (var i = 0; i < v.length; i++) needJson(v[i], where, seen);
        } else {
          var proto = Object.getPrototypeOf(v);
          if (proto !== Object.prototype && proto !== null) fail(TypeError, where, 'only plain objects are JSON values, got ' + (v.constructor && v.constructor.name || 'an object'));
          for (var k in v) if (Object.prototype.hasOwnProperty.call(v, k)) needJson(v[k], where, seen);
        }
        seen.pop();
        return;
      default: fail(TypeError, where, describe(v) + ' is not a JSON value');
    }
  }
  // Engine failures come back as "Kind:message" from takeError(); rethrown as that kind.
  function rethrow(where) {
    var e = raw.takeError() || 'Error:unknown engine error';
    var i = e.indexOf(':');
    var kind = e.slice(0, i);
    fail(kind === 'TypeError' ? TypeError : kind === 'RangeError' ? RangeError : Error, where, e.slice(i + 1));
  }

  // ---- events ----

  function Emitter() { this._l = {}; }
  Emitter.prototype.on = function (name, fn) {
    needString(name, 'on', 'event name'); needFunction(fn, 'on');
    (this._l[name] = this._l[name] || []).push(fn);
    return this;
  };
  Emitter.prototype.off = function (name, fn) {
    var l = this._l[name];
    if (l) { var i = l.indexOf(fn); if (i >= 0) l.splice(i, 1); }
    return this;
  };
  Emitter.prototype.emit = function (name, args) {
    var l = this._l[name];
    if (!l) return;
    l = l.slice();
    for (var i = 0; i < l.length; i++) l[i].apply(null, args);
  };

  // ---- shared types: thin checked wrappers over the engine's objects, one wrapper per object ----

  // Raw objects come back from the engine with stable identities; each gets one wrapper.
  var wrappers = typeof WeakMap === 'function' ? new WeakMap() : null;
  function wrapAs(C, r, doc) {
    var w = wrappers && wrappers.get(r);
    if (!w) {
      w = new C(r, doc);
      if (wrappers) wrappers.set(r, w);
    }
    return w;
  }
  // A nested shared type held in a list (suffix 'At') or a map (suffix 'Of'), by its kind.
  var KINDS = ['text', 'list', 'map', 'counter'];
  function nested(r, kind, suffix, where, doc) {
    var C = [Text, List, YMap, Counter][kind];
    return C ? wrapAs(C, r[KINDS[kind] + suffix](where), doc) : undefined;
  }

  function Shared(r, doc) { this._r = r; this.doc = doc; this._obs = null; }
  /** Calls fn(event) after every transaction that changed this type; returns an unsubscribe function. */
  Shared.prototype.observe = function (fn) {
    needFunction(fn, 'observe');
    var self = this;
    if (!this._obs) {
      this._obs = [];
      this._r.observe(function (e) {
        e.target = self;
        var l = self._obs.slice();
        for (var i = 0; i < l.length; i++) l[i](e);
      });
    }
    this._obs.push(fn);
    return function () { var i = self._obs.indexOf(fn); if (i >= 0) self._obs.splice(i, 1); };
  };
  Shared.prototype.unobserve = function (fn) {
    var i = this._obs ? this._obs.indexOf(fn) : -1;
    if (i >= 0) this._obs.splice(i, 1);
  };
  function subclass(C, methods, props) {
    C.prototype = Object.create(Shared.prototype);
    C.prototype.constructor = C;
    for (var m in methods) C.prototype[m] = methods[m];
    for (var p in props) Object.defineProperty(C.prototype, p, { get: props[p] });
  }
  function lengthOf() { return this._r.length; }

  /** Text; indices and lengths count UTF-16 code units, as JavaScript strings do. */
  function Text(r, doc) { Shared.call(this, r, doc); }
  subclass(Text, {
    insert: function (index, text) {
      needString(text, 'Text.insert', 'text');
      needIndex(index, this._r.length, 'Text.insert', 'index');
      if (text.length) this._r.insert(index, text);
    },
    delete: function (index, length) {
      var len = this._r.length;
      needIndex(index, len, 'Text.delete', 'index');
      needIndex(length, len - index, 'Text.delete', 'length');
      if (length) this._r.delete(index, length);
    },
    toString: function () { return this._r.content(); },
    toJSON: function () { return this._r.content(); }
  }, { length: lengthOf });

  function List(r, doc) { Shared.call(this, r, doc); }
  function needValues(values, where) {
    if (!Array.isArray(values)) fail(TypeError, where, 'values must be an array, got ' + describe(values));
    needJson(values, where);
  }
  subclass(List, {
    insert: function (index, values) {
      needIndex(index, this._r.length, 'List.insert', 'index');
      needValues(values, 'List.insert');
      if (values.length && !this._r.insert(index, values)) rethrow('List.insert');
    },
    push: function (values) { this.insert(this._r.length, values); },
    unshift: function (values) { this.insert(0, values); },
    delete: function (index, length) {
      var len = this._r.length;
      needIndex(index, len, 'List.delete', 'index');
      if (length === undefined) length = 1;
      needIndex(length, len - index, 'List.delete', 'length');
      if (length) this._r.delete(index, length);
    },
    get: function (index) {
      needInt(index, 'List.get', 'index');
      if (index < 0 || index >= this._r.length) return undefined;
      var v = this._r.get(index);
      return v === undefined ? nested(this._r, this._r.kindAt(index), 'At', index, this.doc) : v;
    },
    insertMap: function (index) { needIndex(index, this._r.length, 'List.insertMap', 'index'); return wrapAs(YMap, this._r.insertMap(index), this.doc); },
    insertList: function (index) { needIndex(index, this._r.length, 'List.insertList', 'index'); return wrapAs(List, this._r.insertList(index), this.doc); },
    insertText: function (index) { needIndex(index, this._r.length, 'List.insertText', 'index'); return wrapAs(Text, this._r.insertText(index), this.doc); },
    toArray: function () {
      var out = [], n = this._r.length;
      for (var i = 0; i < n; i++) out.push(this.get(i));
      return out;
    },
    toJSON: function () { return this._r.toJSON(); },
    forEach: function (fn) { needFunction(fn, 'List.forEach'); var a = this.toArray(); for (var i = 0; i < a.length; i++) fn(a[i], i, this); },
    map: function (fn) { needFunction(fn, 'List.map'); var self = this; return this.toArray().map(function (v, i) { return fn(v, i, self); }); }
  }, { length: lengthOf });

  function YMap(r, doc) { Shared.call(this, r, doc); }
  subclass(YMap, {
    set: function (key, value) {
      needKey(key, 'Map.set');
      needJson(value, 'Map.set');
      if (!this._r.set(key, value)) rethrow('Map.set');
      return value;
    },
    get: function (key) {
      needKey(key, 'Map.get');
      var v = this._r.get(key);
      return v === undefined && this._r.has(key) ? nested(this._r, this._r.kindOf(key), 'Of', key, this.doc) : v;
    },
    has: function (key) { needKey(key, 'Map.has'); return this._r.has(key); },
    delete: function (key) { needKey(key, 'Map.delete'); this._r.delete(key); },
    keys: function () { return this._r.keys(); },
    values: function () { var self = this; return this.keys().map(function (k) { return self.get(k); }); },
    entries: function () { var self = this; return this.keys().map(function (k) { return [k, self.get(k)]; }); },
    forEach: function (fn) { needFunction(fn, 'Map.forEach'); var self = this; this.keys().forEach(function (k) { fn(self.get(k), k, self); }); },
    setMap: function (key) { needKey(key, 'Map.setMap'); return wrapAs(YMap, this._r.setMap(key), this.doc); },
    setList: function (key) { needKey(key, 'Map.setList'); return wrapAs(List, this._r.setList(key), this.doc); },
    setText: function (key) { needKey(key, 'Map.setText'); return wrapAs(Text, this._r.setText(key), this.doc); },
    toJSON: function () { return this._r.toJSON(); }
  }, { size: function () { return this._r.size; } });

  function Counter(r, doc) { Shared.call(this, r, doc); }
  subclass(Counter, {
    increment: function (n) {
      if (n === undefined) n = 1;
      if (typeof n !== 'number' || !isFinite(n)) fail(TypeError, 'Counter.increment', 'amount must be a finite number, got ' + (typeof n === 'number' ? n : describe(n)));
      if (n !== 0) this._r.increment(n);
    },
    decrement: function (n) { this.increment(n === undefined ? -1 : -n); },
    toJSON: function () { return this._r.value; }
  }, { value: function () { return this._r.value; } });

  // ---- the document ----

  function randomClientId() {
    var a = new Uint32Array(1);
    (global.crypto || {}).getRandomValues ? global.crypto.getRandomValues(a) : (a[0] = Math.floor(Math.random() * 0x80000000));
    return a[0] & 0x7fffffff;
  }

  /**
   * A replica of a shared document. Options: { clientId (integer in [0, 2^31)), gc (default true:
   * deleted content is dropped while its ids stay) }.
   */
  function Doc(options) {
    if (!(this instanceof Doc)) fail(TypeError, 'Doc', 'use new MyceliumSync.Doc()');
    needReady('Doc');
    options = options || {};
    if (typeof options !== 'object') fail(TypeError, 'Doc', 'options must be an object, got ' + describe(options));
    var id = options.clientId === undefined ? randomClientId() : options.clientId;
    needInt(id, 'Doc', 'clientId');
    if (id < 0 || id > 0x7fffffff) fail(RangeError, 'Doc', 'clientId ' + id + ' is outside [0, 2^31)');
    Emitter.call(this);
    var self = this;
    this._r = new raw.JDoc(id, options.gc === false);
    this._emitUpdate = function (update, origin) { self.emit('update', [update, origin, self]); };
  }
  Doc.prototype = Object.create(Emitter.prototype);
  Doc.prototype.constructor = Doc;
  // The engine encodes an update per transaction only while someone listens for it.
  Doc.prototype.on = function (name, fn) {
    Emitter.prototype.on.call(this, name, fn);
    if (name === 'update' && this._l.update.length === 1) this._r.onUpdate(this._emitUpdate);
    return this;
  };
  Doc.prototype.off = function (name, fn) {
    Emitter.prototype.off.call(this, name, fn);
    if (name === 'update' && this._l.update && this._l.update.length === 0) this._r.onUpdate(null);
    return this;
  };
  Object.defineProperty(Doc.prototype, 'clientId', { get: function () { return this._r.clientId; } });
  function getter(kind, C) {
    return function (name) {
      needString(name, 'Doc.get' + kind, 'name');
      var r = this._r['get' + kind](name);
      if (r === null) rethrow('Doc.get' + kind);
      return wrapAs(C, r, this);
    };
  }
  Doc.prototype.getText = getter('Text', Text);
  Doc.prototype.getList = getter('List', List);
  Doc.prototype.getArray = Doc.prototype.getList;
  Doc.prototype.getMap = getter('Map', YMap);
  Doc.prototype.getCounter = getter('Counter', Counter);
  /** Runs fn as one transaction: observers and 'update' fire once, after it, with this origin. */
  Doc.prototype.transact = function (fn, origin) {
    needFunction(fn, 'Doc.transact');
    var result, error = null, threw = false;
    this._r.transact(function () {
      try { result = fn(); } catch (e) { threw = true; error = e; }
    }, origin === undefined ? null : origin);
    if (threw) throw error;
    return result;
  };
  Doc.prototype.encodeStateVector = function () { return this._r.encodeStateVector(); };
  Doc.prototype.encodeStateAsUpdate = function (stateVector) {
    if (stateVector !== undefined && stateVector !== null) needBytes(stateVector, 'Doc.encodeStateAsUpdate', 'stateVector');
    var out = this._r.encodeStateAsUpdate(stateVector || null);
    if (out === null) rethrow('Doc.encodeStateAsUpdate');
    return out;
  };
  /** Applies an update from another replica; a malformed one throws and changes nothing. */
  Doc.prototype.applyUpdate = function (update, origin) {
    needBytes(update, 'Doc.applyUpdate', 'update');
    if (!this._r.applyUpdate(update, origin === undefined ? null : origin)) rethrow('Doc.applyUpdate');
  };
  Doc.prototype.toJSON = function () { return this._r.toJSON(); };
  Object.defineProperty(Doc.prototype, 'hasPending', { get: function () { return this._r.hasPending(); } });

  // ---- IndexedDB persistence ----

  /**
   * Keeps a doc in IndexedDB under `name`. The doc is usable at once; stored state loads in the
   * background ('synced' event, whenSynced promise). Each update is appended as it happens and
   * the store is compacted into one snapshot past `options.compactAfter` entries (default 200),
   * so storage grows with edits, not with page loads. Problems (no IndexedDB, quota, a blocked
   * or deleted database) are 'error' events {kind, message}; the doc keeps working in memory.
   */
  function IndexeddbPersistence(name, doc, options) {
    if (!(this instanceof IndexeddbPersistence)) fail(TypeError, 'IndexeddbPersistence', 'use new MyceliumSync.IndexeddbPersistence(name, doc)');
    needString(name, 'IndexeddbPersistence', 'name');
    if (!name) fail(RangeError, 'IndexeddbPersistence', 'name must not be empty');
    if (!(doc instanceof Doc)) fail(TypeError, 'IndexeddbPersistence', 'doc must be a MyceliumSync.Doc');
    options = options || {};
    var limit = options.compactAfter === undefined ? 200 : options.compactAfter;
    needInt(limit, 'IndexeddbPersistence', 'options.compactAfter');
    if (limit < 1) fail(RangeError, 'IndexeddbPersistence', 'options.compactAfter must be at least 1');
    Emitter.call(this);
    var self = this, db = null, queue = [], stored = 0, resolveSynced;
    this._destroyed = false;
    this._close = function () { flush(); if (db) db.close(); db = null; };
    this.name = name;
    this.doc = doc;
    this.synced = false;
    this.dbName = 'mycelium-sync:' + name;
    this.whenSynced = new Promise(function (resolve) { resolveSynced = resolve; });

    function report(kind, e) {
      var message = kind + ': ' + (e && (e.message || e.name) || e || 'unknown error') + ' (the doc keeps working in memory)';
      self.emit('error', [{ kind: kind, message: message }]);
    }
    function done() {
      if (!self.synced) {
        self.synced = true;
        self.emit('synced', [self]);
        resolveSynced(self);
      }
    }
    function reqDone(req) {
      return new Promise(function (resolve, reject) {
        req.onsuccess = function () { resolve(req.result); };
        req.onerror = function () { reject(req.error); };
      });
    }
    function txDone(tx) {
      return new Promise(function (resolve, reject) {
        tx.oncomplete = function () { resolve(); };
        tx.onabort = tx.onerror = function () { reject(tx.error); };
      });
    }
    // Appends updates; past the limit, folds everything stored into one snapshot in one
    // readwrite transaction, so that another tab's appends cannot slip between read and write.
    function flush() {
      if (!db || !queue.length) return;
      var batch = queue;
      queue = [];
      var tx;
      try { tx = db.transaction('updates', 'readwrite'); } catch (e) { report('write', e); return; }
      var store = tx.objectStore('updates');
      batch.forEach(function (u) { store.add(u); });
      stored += batch.length;
      txDone(tx).then(function () { if (stored >= limit) compact(); }, function (e) {
        report(e && e.name === 'QuotaExceededError' ? 'quota' : 'write', e);
      });
    }
    function compact() {
      var tx = db.transaction('updates', 'readwrite'), store = tx.objectStore('updates');
      reqDone(store.getAll()).then(function (all) {
        reqDone(store.getAllKeys()).then(function (keys) {
          all.forEach(function (u) { try { doc.applyUpdate(u, self); } catch (e) { /* reported at load */ } });
          var last = keys[keys.length - 1];
          if (last !== undefined) store.delete(IDBKeyRange.upperBound(last));
          store.add(doc.encodeStateAsUpdate());
          stored = 1;
        });
      });
      return txDone(tx).catch(function (e) { report(e && e.name === 'QuotaExceededError' ? 'quota' : 'compact', e); });
    }
    this._onUpdate = function (update, origin) {
      if (origin === self || self._destroyed) return;
      queue.push(update);
      flush();
    };
    doc.on('update', this._onUpdate);
    // A doc that already has content when it is attached: store that content once.
    if (doc.encodeStateVector().length > 1) queue.push(doc.encodeStateAsUpdate());

    var factory = global.indexedDB;
    if (!factory) {
      report('unavailable', 'IndexedDB is not available here');
      done();
      return;
    }
    var open;
    try { open = factory.open(this.dbName, 1); } catch (e) { report('unavailable', e); done(); return; }
    open.onupgradeneeded = function () { open.result.createObjectStore('updates', { autoIncrement: true }); };
    open.onblocked = function () { report('blocked', 'the database is blocked by another tab holding an older version'); };
    open.onerror = function () { report('unavailable', open.error); done(); };
    open.onsuccess = function () {
      if (self._destroyed) { open.result.close(); return; }
      db = open.result;
      db.onversionchange = function () { db.close(); db = null; report('deleted', 'the database was deleted or upgraded elsewhere'); };
      var tx = db.transaction('updates', 'readonly');
      reqDone(tx.objectStore('updates').getAll()).then(function (all) {
        stored = all.length;
        var bad = 0;
        try {
          if (all.length) doc.applyUpdate(M.mergeUpdates(all), self);
        } catch (e) { // some stored entry is damaged: apply the others one by one
          all.forEach(function (u) { try { doc.applyUpdate(u, self); } catch (e2) { bad++; } });
        }
        if (bad) report('corrupt', bad + ' stored update(s) could not be read and were skipped');
        queue = dedupe(queue);
        flush();
        done();
      }, function (e) { report('read', e); done(); });
    };
  }
  function dedupe(list) {
    return list.length > 1 ? [M.mergeUpdates(list)] : list;
  }
  IndexeddbPersistence.prototype = Object.create(Emitter.prototype);
  IndexeddbPersistence.prototype.constructor = IndexeddbPersistence;
  /** Stops writing; the stored data stays. */
  IndexeddbPersistence.prototype.destroy = function () {
    this.doc.off('update', this._onUpdate);
    this._destroyed = true;
    this._close();
    return Promise.resolve();
  };
  /** Removes the stored data (and stops writing). */
  IndexeddbPersistence.prototype.clearData = function () {
    var name = this.dbName;
    this.destroy();
    return new Promise(function (resolve, reject) {
      var req = global.indexedDB.deleteDatabase(name);
      req.onsuccess = function () { resolve(); };
      req.onerror = function () { reject(req.error); };
    });
  };
  M.IndexeddbPersistence = IndexeddbPersistence;

  M.Doc = Doc;
  M.Text = Text;
  M.List = List;
  M.Map = YMap;
  M.Counter = Counter;

  function bytesHelper(name, fn) {
    return function () {
      needReady(name);
      var out = fn.apply(null, arguments);
      if (out === null) rethrow(name);
      return out;
    };
  }
  /** Merges updates into one update that has the same effect as applying them all. */
  M.mergeUpdates = bytesHelper('mergeUpdates', function (updates) {
    if (!Array.isArray(updates)) fail(TypeError, 'mergeUpdates', 'updates must be an array of Uint8Array, got ' + describe(updates));
    for (var i = 0; i < updates.length; i++) needBytes(updates[i], 'mergeUpdates', 'updates[' + i + ']');
    return raw.mergeUpdates(updates);
  });
  /** Returns the part of an update that a replica with this state vector lacks. */
  M.diffUpdate = bytesHelper('diffUpdate', function (update, stateVector) {
    needBytes(update, 'diffUpdate', 'update');
    needBytes(stateVector, 'diffUpdate', 'stateVector');
    return raw.diffUpdate(update, stateVector);
  });
  /** Returns the state vector of what an update contains. */
  M.encodeStateVectorFromUpdate = bytesHelper('encodeStateVectorFromUpdate', function (update) {
    needBytes(update, 'encodeStateVectorFromUpdate', 'update');
    return raw.stateVectorFromUpdate(update);
  });
  /** Applies an update to a doc (as doc.applyUpdate). */
  M.applyUpdate = function (doc, update, origin) {
    if (!(doc instanceof Doc)) fail(TypeError, 'applyUpdate', 'doc must be a MyceliumSync.Doc');
    doc.applyUpdate(update, origin);
  };
  M.encodeStateAsUpdate = function (doc, sv) {
    if (!(doc instanceof Doc)) fail(TypeError, 'encodeStateAsUpdate', 'doc must be a MyceliumSync.Doc');
    return doc.encodeStateAsUpdate(sv);
  };
  M.encodeStateVector = function (doc) {
    if (!(doc instanceof Doc)) fail(TypeError, 'encodeStateVector', 'doc must be a MyceliumSync.Doc');
    return doc.encodeStateVector();
  };

  // ---- the WebRTC provider (engine side: org.mycelium.sync.js.provider) ----

  // Presence states travel as UTF-8 JSON; TextEncoder where there is one, else the URI trick.
  function utf8(s) {
    if (typeof TextEncoder === 'function') return new TextEncoder().encode(s);
    var b = unescape(encodeURIComponent(s)), out = new Uint8Array(b.length);
    for (var i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
    return out;
  }
  function fromUtf8(u) {
    if (typeof TextDecoder === 'function') return new TextDecoder().decode(u);
    var s = '';
    for (var i = 0; i < u.length; i++) s += String.fromCharCode(u[i]);
    return decodeURIComponent(escape(s));
  }
  // A state that another peer sent is parsed here; one that is not JSON is left out.
  function parseState(u) {
    try { return JSON.parse(fromUtf8(u)); } catch (e) { return undefined; }
  }
  // Listeners run after the engine call that raised the event has returned (a microtask later),
  // so a listener may call destroy() or edit the doc; a listener that throws does not stop the others.
  function later(fn) { Promise.resolve().then(fn); }
  function emitSafely(target, name, args) {
    later(function () {
      var l = target._l[name];
      if (!l) return;
      l = l.slice();
      for (var i = 0; i < l.length; i++) {
        try { l[i].apply(null, args); } catch (e) { setTimeout(function () { throw e; }, 0); }
      }
    });
  }

  /** Presence: each client's JSON state, kept fresh by the provider; events 'change'. */
  function Awareness(provider) {
    Emitter.call(this);
    this._p = provider;
    this.clientId = provider.doc.clientId;
    this.clientID = this.clientId;
    this._local = null;
  }
  Awareness.prototype = Object.create(Emitter.prototype);
  Awareness.prototype.constructor = Awareness;
  /** Sets this client's state (a JSON value; null removes it) and tells every peer. */
  Awareness.prototype.setLocalState = function (state) {
    if (state === undefined) state = null;
    needJson(state, 'Awareness.setLocalState');
    if (this._p._r === null) return;
    this._local = state === null ? null : JSON.parse(JSON.stringify(state));
    this._p._r.setLocalState(state === null ? null : utf8(JSON.stringify(state)));
  };
  /** Sets one field of this client's state (an object). */
  Awareness.prototype.setLocalStateField = function (key, value) {
    needKey(key, 'Awareness.setLocalStateField');
    needJson(value, 'Awareness.setLocalStateField');
    var s = {}, old = this._local && typeof this._local === 'object' && !Array.isArray(this._local) ? this._local : {};
    for (var k in old) if (Object.prototype.hasOwnProperty.call(old, k)) s[k] = old[k];
    s[key] = value;
    this.setLocalState(s);
  };
  Awareness.prototype.getLocalState = function () {
    return this._local === null ? null : JSON.parse(JSON.stringify(this._local));
  };
  /** Returns a Map from client id to state, this client included. */
  Awareness.prototype.getStates = function () {
    var out = new Map(), r = this._p._r;
    if (r === null) return out;
    var clients = r.awarenessClients();
    for (var i = 0; i < clients.length; i++) {
      var bytes = r.awarenessState(clients[i]);
      var v = bytes === null ? undefined : parseState(bytes);
      if (v !== undefined) out.set(clients[i], v);
    }
    return out;
  };

  var PROVIDER_EVENTS = ['status', 'peers', 'synced', 'kept', 'debug'];
  /**
   * Syncs doc with every other provider in room: WebRTC data channels between browsers,
   * BroadcastChannel between tabs, the signaling server's relay where no direct path opens.
   * Options: signaling (URL or URLs, default this page's host + /signal), webrtc (default true),
   * tabs (default true), iceServers (default []), maxConns (default 20), connectTimeout (ms,
   * default 5000), keep (default false: ask the server to keep the room), debug (default false:
   * emit 'debug' events, one line of trace each). Events: 'status', 'peers', 'synced', 'kept'
   * (the room keeper acknowledged a stored update: {id, synced, unacked, kept}), 'debug'.
   */
  function WebrtcProvider(room, doc, options) {
    var W = 'WebrtcProvider';
    if (!(this instanceof WebrtcProvider)) fail(TypeError, W, 'use new MyceliumSync.WebrtcProvider(room, doc, options)');
    needReady(W);
    needString(room, W, 'room');
    if (room.length === 0 || room.length > 256) fail(RangeError, W, 'room must have 1 to 256 characters, got ' + room.length);
    if (!(doc instanceof Doc)) fail(TypeError, W, 'doc must be a MyceliumSync.Doc, got ' + describe(doc));
    if (options === undefined || options === null) options = {};
    if (typeof options !== 'object' || Array.isArray(options)) fail(TypeError, W, 'options must be an object, got ' + describe(options));
    var urls = options.signaling;
    if (urls === undefined) urls = defaultSignaling();
    if (typeof urls === 'string') urls = [urls];
    if (!Array.isArray(urls)) fail(TypeError, W, 'options.signaling must be a URL or an array of URLs, got ' + describe(urls));
    urls = urls.slice();
    for (var i = 0; i < urls.length; i++) {
      needString(urls[i], W, 'options.signaling[' + i + ']');
      if (!/^wss?:\/\/[^\s]+$/.test(urls[i])) fail(TypeError, W, 'options.signaling[' + i + '] must be a ws:// or wss:// URL, got ' + JSON.stringify(urls[i]));
    }
    var webrtc = flag(options.webrtc, 'webrtc'), tabs = flag(options.tabs, 'tabs');
    var keep = options.keep === undefined ? false : flag(options.keep, 'keep');
    var debug = options.debug === undefined ? false : flag(options.debug, 'debug');
    var maxConns = options.maxConns === undefined ? 20 : options.maxConns;
    needInt(maxConns, W, 'options.maxConns');
    if (maxConns < 0 || maxConns > 1000) fail(RangeError, W, 'options.maxConns ' + maxConns + ' is outside [0, 1000]');
    var timeout = options.connectTimeout === undefined ? 5000 : options.connectTimeout;
    needInt(timeout, W, 'options.connectTimeout');
    if (timeout < 1 || timeout > 600000) fail(RangeError, W, 'options.connectTimeout ' + timeout + ' is outside [1, 600000] ms');
    var ice = options.iceServers === undefined ? [] : options.iceServers;
    if (!Array.isArray(ice)) fail(TypeError, W, 'options.iceServers must be an array of {urls, username?, credential?}, got ' + describe(ice));
    ice = ice.map(function (s, i) {
      var where = 'options.iceServers[' + i + ']';
      if (s === null || typeof s !== 'object') fail(TypeError, W, where + ' must be an object, got ' + describe(s));
      var u = typeof s.urls === 'string' ? [s.urls] : s.urls;
      if (!Array.isArray(u) || !u.length || u.some(function (x) { return typeof x !== 'string' || !/^(stun|stuns|turn|turns):/.test(x); })) {
        fail(TypeError, W, where + '.urls must be a stun:, stuns:, turn: or turns: URL or an array of them');
      }
      var out = { urls: u.slice() };
      if (s.username !== undefined) { needString(s.username, W, where + '.username'); out.username = s.username; }
      if (s.credential !== undefined) { needString(s.credential, W, where + '.credential'); out.credential = s.credential; }
      return out;
    });
    var credit = creditOptions(options.credit, W);
    function flag(v, name) {
      if (v === undefined) return true;
      if (typeof v !== 'boolean') fail(TypeError, W, 'options.' + name + ' must be a boolean, got ' + describe(v));
      return v;
    }
    Emitter.call(this);
    var self = this;
    this.room = room;
    this.doc = doc;
    this._r = null;
    this.awareness = new Awareness(this);
    var config = { room: room, signaling: urls, webrtc: webrtc, tabs: tabs, maxConns: maxConns, connectTimeout: timeout, rtc: { iceServers: ice }, keep: keep, debug: debug };
    if (credit) config.credit = credit;
    this._r = doc._r.webrtcProvider(config, function (kind, data) {
      if (kind === 'awareness') emitSafely(self.awareness, 'change', [data]);
      else if (PROVIDER_EVENTS.indexOf(kind) >= 0) emitSafely(self, kind, [data]);
    });
    this._id = this._r.id;
  }
  // options.credit: true (default: docs/CREDIT.md defaults), false (no accounting), or an object
  // that changes some of the policy's values; checked here so that Java gets only sane numbers.
  var CREDIT_POSITIVE = ['refillPerSecond', 'capacity', 'debtFloor', 'maxThrottledMs'];
  var CREDIT_NON_NEGATIVE = ['initialBalance', 'costPerMessage', 'costPerByte', 'costPerOp', 'newReward', 'servedReward',
    'malformedPenalty', 'violationPenalty', 'banMs'];
  function creditOptions(c, W) {
    if (c === undefined || c === true) return {};
    if (c === false) return null;
    if (c === null || typeof c !== 'object' || Array.isArray(c)) fail(TypeError, W, 'options.credit must be a boolean or an object, got ' + describe(c));
    var out = {};
    function num(k) {
      var v = c[k];
      if (v === undefined) return;
      if (typeof v !== 'number' || !isFinite(v)) fail(TypeError, W, 'options.credit.' + k + ' must be a finite number, got ' + describe(v));
      out[k] = v;
    }
    CREDIT_POSITIVE.concat(CREDIT_NON_NEGATIVE, ['redundantMultiplier', 'maxViolations']).forEach(num);
    CREDIT_POSITIVE.forEach(function (k) { if (k in out && !(out[k] > 0)) fail(RangeError, W, 'options.credit.' + k + ' must be > 0, got ' + out[k]); });
    CREDIT_NON_NEGATIVE.forEach(function (k) { if (k in out && out[k] < 0) fail(RangeError, W, 'options.credit.' + k + ' must be >= 0, got ' + out[k]); });
    if ('redundantMultiplier' in out && out.redundantMultiplier < 1) fail(RangeError, W, 'options.credit.redundantMultiplier must be >= 1, got ' + out.redundantMultiplier);
    if ('maxViolations' in out && (out.maxViolations < 1 || out.maxViolations % 1 !== 0 || out.maxViolations > 1e9)) {
      fail(RangeError, W, 'options.credit.maxViolations must be an integer >= 1, got ' + out.maxViolations);
    }
    var cap = 'capacity' in out ? out.capacity : 8388608;
    if ('initialBalance' in out && out.initialBalance > cap) fail(RangeError, W, 'options.credit.initialBalance ' + out.initialBalance + ' exceeds the capacity ' + cap);
    return out;
  }
  function defaultSignaling() {
    var loc = global.location;
    if (!loc || !/^https?:$/.test(loc.protocol)) return [];
    return [(loc.protocol === 'https:' ? 'wss://' : 'ws://') + loc.host + '/signal'];
  }
  WebrtcProvider.prototype = Object.create(Emitter.prototype);
  WebrtcProvider.prototype.constructor = WebrtcProvider;
  Object.defineProperty(WebrtcProvider.prototype, 'id', { get: function () { return this._id; } });
  Object.defineProperty(WebrtcProvider.prototype, 'status', { get: function () { return this._r ? this._r.status : 'disconnected'; } });
  Object.defineProperty(WebrtcProvider.prototype, 'connected', { get: function () { return this.status === 'connected'; } });
  Object.defineProperty(WebrtcProvider.prototype, 'synced', { get: function () { return this._r ? this._r.synced : false; } });
  Object.defineProperty(WebrtcProvider.prototype, 'webrtc', { get: function () { return this._r ? this._r.webrtc : false; } });
  Object.defineProperty(WebrtcProvider.prototype, 'malformed', { get: function () { return this._r ? this._r.malformed : 0; } });
  /** The server's room keeper, {id, synced, unacked, kept}, or null: kept is true when it has stored every update sent to it. */
  Object.defineProperty(WebrtcProvider.prototype, 'keeper', { get: function () { return this._r ? this._r.keeper() : null; } });
  /** The peers with an open path: [{id, path, synced, bytesIn, bytesOut, messagesIn, messagesOut, dropped, credit, state, opsIn, opsOut, rejected, redundant}]. */
  Object.defineProperty(WebrtcProvider.prototype, 'peers', { get: function () { return this._r ? this._r.peers() : []; } });
  /** Leaves the room, closes channels and sockets, clears timers, stops listening to the doc. */
  WebrtcProvider.prototype.destroy = function () {
    if (this._r === null) return;
    this._r.destroy();
    this._r = null;
  };
  M.WebrtcProvider = WebrtcProvider;

  return M;
}
