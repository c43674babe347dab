// Bundled by scripts/bench-browser.sh (esbuild, pinned in benchmarks/package-lock.json) into
// benchmarks/target/browser/yjs.bundle.js: the Yjs the browser benchmarks compare against.
import * as Y from 'yjs';
globalThis.Y = Y;
