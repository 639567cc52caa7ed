// Loads the bundled client (dist/extension.cjs) in a fresh Node process with
// a stand-in for the `vscode` module and times what VS Code would count as
// activation: loading the bundle and running `activate` until its promise
// settles. The stand-in answers every property, call and `new` with itself,
// so the client's own code runs as it would, minus the editor's work.
// Prints one JSON line: { load, activate, client } in milliseconds, `client`
// being the language client's loading and start right after activation.
const Module = require('node:module');
const path = require('node:path');

const repo = path.resolve(__dirname, '..');

function standIn() {
  const handler = {
    get(_, key) {
      if (key === 'then') return undefined; // not a promise
      if (key === '__esModule') return true; // bundlers' interop helpers take it as is
      if (key === 'version') return '1.100.0';
      if (key === Symbol.toPrimitive) return () => '';
      if (key === Symbol.iterator) return function* () {};
      return proxy;
    },
    // esbuild's interop copies a module onto an object with the module's prototype.
    getPrototypeOf: () => prototype,
    apply: () => proxy,
    construct: () => proxy,
  };
  const proxy = new Proxy(function () {}, handler);
  const prototype = new Proxy({}, { get: (_, key) => handler.get(_, key) });
  return proxy;
}

const vscode = standIn();
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};

const context = new Proxy(
  { subscriptions: [], asAbsolutePath: (p) => path.join(repo, p), extensionPath: repo },
  { get: (t, key) => (key in t ? t[key] : key === 'then' ? undefined : vscode) },
);

(async () => {
  const t0 = performance.now();
  const extension = require(path.join(repo, 'dist', 'extension.cjs'));
  const t1 = performance.now();
  let error;
  try {
    await extension.activate(context);
  } catch (e) {
    error = String(e && e.message ? e.message : e);
  }
  const t2 = performance.now();
  // The language client loads on the turn after activation (client/src/extension.ts).
  await new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
  const t3 = performance.now();
  // Stop the server the client started, so no process outlives the measurement.
  await Promise.race([Promise.resolve(extension.deactivate && extension.deactivate()).catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2000))]);
  process.stdout.write(`${JSON.stringify({ load: t1 - t0, activate: t2 - t1, client: t3 - t2, error })}\n`);
  process.exit(0);
})();
