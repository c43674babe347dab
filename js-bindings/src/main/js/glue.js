// The JavaScript face of MYCELIUM-SYNC. This file is the body shared by dist/mycelium-sync.js
// (classic script, global MyceliumSync) and dist/mycelium-sync.mjs (ES module); the size-budget
// module wraps it and fills in __VERSION__. It loads the wasm-gc engine where the browser can run
// it and the TeaVM JS-target build elsewhere, then wraps the raw exports in the public API.
function createMyceliumSync(base, global) {
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
  M.ready = (wasmGcSupported() ? loadWasm() : loadJs()).then(function (exports) {
    raw = exports;
    M.readyMs = (typeof performance !== 'undefined' ? performance : Date).now() - start;
    return M;
  });

  /** Encodes a non-negative integer as the wire format's varuint (a smoke test of the engine). */
  M.encodeVarUint = function (n) {
    if (typeof n !== 'number' || n !== Math.floor(n)) throw new TypeError('encodeVarUint: expected an integer, got ' + typeof n);
    if (n < 0 || n > 0x7fffffff) throw new RangeError('encodeVarUint: ' + n + ' is outside [0, 2^31)');
    return raw.encodeVarUint(n);
  };

  return M;
}
