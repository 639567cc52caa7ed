// `npm start`: try the extension without installing VS Code. Packages the
// .vsix (production build) when needed, installs code-server into
// .cache/code-server/ once, starts it on 127.0.0.1 with a throw-away profile
// and the extension installed, opens examples/ (or the folder given), prints
// the address to open in a browser, and stops everything on Ctrl+C.
//
//   npm start                     # the examples, on a free port
//   npm start -- path/to/folder   # another folder
//   npm start -- --port 8080      # a fixed port
//
// KPI_TODAY defaults to 2026-11-22, the day examples/README.md's findings
// assume; set it to another date (or to "" for the real today) to change that.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createProfile, ensureCodeServer, installExtension, readTail, startCodeServer } from './lib/code-server.mjs';
import { cleanupAll, log, ROOT, setLogPrefix } from './lib/harness.mjs';
import { ensureVsix } from './lib/vsix.mjs';

function parseArgs(argv) {
  const options = { folder: path.join(ROOT, 'examples'), port: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--port') options.port = Number(argv[++i]);
    else if (arg.startsWith('--port=')) options.port = Number(arg.slice('--port='.length));
    else if (!arg.startsWith('-')) options.folder = path.resolve(arg);
    else throw new Error(`unknown option ${arg}; usage: npm start -- [folder] [--port N]`);
  }
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port > 0 && options.port < 65536)) throw new Error('--port needs a port number');
  if (!fs.statSync(options.folder, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${options.folder} is not a folder`);
  return options;
}

setLogPrefix('start');

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const vsix = await ensureVsix();
  const entry = await ensureCodeServer();
  const profile = createProfile('kpi-start-');
  await installExtension(entry, profile, vsix);
  const today = process.env.KPI_TODAY ?? '2026-11-22';
  const server = await startCodeServer(entry, profile, { workspace: options.folder, port: options.port, env: { KPI_TODAY: today } });
  // code-server opens the folder it was started with at its root address.
  const address = `${server.url}/`;
  process.stdout.write(
    [
      '',
      `  KPI Scorecard in code-server (the VS Code workbench in the browser), extension from ${path.relative(ROOT, vsix)}`,
      `  folder: ${options.folder}${today ? `   (KPI_TODAY=${today})` : ''}`,
      '',
      `  Open ${address}`,
      '',
      '  Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  // Runs until Ctrl+C (the harness's handler stops code-server's process group) or until code-server ends.
  let interrupted = false;
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(name, () => (interrupted = true));
  const { code, signal } = await server.exited;
  // Stopped by Ctrl+C: the harness's handler finishes the clean-up and exits.
  if (interrupted) await new Promise(() => {});
  log(`code-server stopped by itself (${code ?? signal}); the end of its log:\n${readTail(server.logFile)}`);
  return 1;
}

let status = 0;
try {
  status = await main();
} catch (error) {
  process.stderr.write(`[start] ${error?.stack ?? error}\n`);
  status = 1;
} finally {
  await cleanupAll();
}
process.exit(status);
