// Shows which engine loaded, its version, how long it took, and one call into it.
(function () {
  function show(id, text) { document.getElementById(id).textContent = text; }
  MyceliumSync.ready.then(function (M) {
    var bytes = M.encodeVarUint(300); // the wire format's varuint: [0xac, 0x02]
    var ok = bytes.length === 2 && bytes[0] === 0xac && bytes[1] === 0x02;
    show('status', 'ready');
    show('engine', M.engine === 'wasm' ? 'wasm (WebAssembly GC)' : 'js (fallback)');
    show('version', M.version);
    show('ready-ms', M.readyMs.toFixed(1) + ' ms');
    show('self-check', ok ? 'ok: varuint(300) = ac 02' : 'FAILED');
    document.body.setAttribute('data-engine', M.engine);
    document.body.setAttribute('data-ready', 'true');
  }, function (e) {
    show('status', 'failed: ' + e.message);
    document.body.setAttribute('data-ready', 'failed');
  });
})();
