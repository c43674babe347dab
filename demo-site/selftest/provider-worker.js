// A provider inside a dedicated worker (ProviderBrowserTest): no DOM and no RTCPeerConnection, so
// it syncs over the relay. The page sends ['open', room, url, clientId], ['edit', tag, n, seed]
// and ['state']; the worker answers each with ['ok', result] or ['error', message].
self.MYCELIUM_SYNC_BASE = '/dist/';
importScripts('/dist/mycelium-sync.js', '/selftest/provider-harness.js');
var ready = MyceliumSync.ready;
self.onmessage = function (e) {
  var m = e.data;
  ready.then(function () {
    if (m[0] === 'open') return H.open(m[1], { signaling: [m[2]] }, m[3]) && MyceliumSync.engine + ':' + H.provider.webrtc;
    if (m[0] === 'edit') return H.edit(m[1], m[2], m[3]);
    if (m[0] === 'state') return H.state();
    if (m[0] === 'paths') return H.paths();
  }).then(function (r) { postMessage(['ok', r === undefined ? null : r]); },
    function (err) { postMessage(['error', String(err && err.stack || err)]); });
};
