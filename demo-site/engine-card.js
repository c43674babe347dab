// Shows which engine loaded, its version, how long it took, and one call into it.
(function () {
  function show(id, text) { document.getElementById(id).textContent = text; }
  MyceliumSync.ready.then(function (M) {
    // one round trip through the engine: an edit, its update, a second replica
    var a = new M.Doc({ clientId: 1 }), b = new M.Doc({ clientId: 2 });
    a.getText('t').insert(0, 'hello 🌱');
    b.applyUpdate(a.encodeStateAsUpdate());
    var ok = b.getText('t').toString() === 'hello 🌱';
    show('status', 'ready');
    show('engine', M.engine === 'wasm' ? 'wasm (WebAssembly GC)' : 'js (fallback)');
    show('version', M.version);
    show('ready-ms', M.readyMs.toFixed(1) + ' ms');
    show('self-check', ok ? 'ok: an edit reached a second replica' : 'FAILED');
    document.body.setAttribute('data-engine', M.engine);
    document.body.setAttribute('data-ready', 'true');
  }, function (e) {
    show('status', 'failed: ' + e.message);
    document.body.setAttribute('data-ready', 'failed');
  });
})();
