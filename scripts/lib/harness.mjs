// Shared plumbing of the real-editor scripts: where things are, timeouts on
// every step, child processes started in their own process group (so that the
// group, helpers included, can be stopped at once), and one clean-up list that
// runs on normal exit, on an error and on Ctrl+C / SIGTERM.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CACHE = path.join(ROOT, '.cache');
export const RESULTS = path.join(ROOT, 'test-results');

let prefix = 'e2e';

/** Names the script in its output lines (`[e2e] …`, `[start] …`). */
export function setLogPrefix(name) {
  prefix = name;
}

/** Prints a harness line; the prefix tells it apart from the editor's own output. */
export function log(message) {
  process.stdout.write(`[${prefix}] ${message}\n`);
}

export class TimeoutError extends Error {}

/** Rejects when `promise` takes longer than `ms`; `what` names the step in the message. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what}: timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `check` until it returns a truthy value (which is returned) or `ms` pass. */
export async function pollUntil(check, ms, what, intervalMs = 200) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new TimeoutError(`${what}: not ready after ${Math.round(ms / 1000)} s${last ? ` (last error: ${last.message ?? last})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

// ------------------------------------------------------------ clean-up list

const cleanups = [];
let handlersInstalled = false;

/** Registers `fn` to run once at the end (last registered runs first). Returns an unregister function. */
export function onCleanup(fn) {
  installHandlers();
  const entry = { fn, done: false };
  cleanups.push(entry);
  return () => {
    entry.done = true;
  };
}

/** Runs every registered clean-up now (awaiting the asynchronous ones). */
export async function cleanupAll() {
  while (cleanups.length) {
    const entry = cleanups.pop();
    if (entry.done) continue;
    entry.done = true;
    try {
      await entry.fn();
    } catch (error) {
      process.stderr.write(`[${prefix}] clean-up failed: ${error?.message ?? error}\n`);
    }
  }
}

function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // Ctrl+C / kill: stop everything, then exit with the conventional status.
  for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.once(signal, () => {
      process.stderr.write(`\n[${prefix}] ${signal}: stopping…\n`);
      void cleanupAll().finally(() => process.exit(status));
    });
  }
  // Last resort (process.exit from anywhere): kill what is left synchronously.
  process.once('exit', () => {
    for (const group of groups) killGroup(group, 'SIGKILL');
  });
}

// -------------------------------------------------------- process groups

/** Process-group ids of the detached children still running. */
const groups = new Set();

function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `command` detached (its own session and process group, like `setsid`)
 * and returns `{ child, stop }`; `stop()` sends SIGTERM to the whole group,
 * then SIGKILL to what is left after `graceMs`. Output goes to `logFile` when
 * given, else is inherited.
 */
export function spawnGroup(command, args, { env, cwd = ROOT, logFile, graceMs = 3000 } = {}) {
  let stdio = 'inherit';
  let fd;
  if (logFile) {
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    fd = fs.openSync(logFile, 'a');
    stdio = ['ignore', fd, fd];
  }
  const child = spawn(command, args, { cwd, env, stdio, detached: true });
  if (fd !== undefined) fs.closeSync(fd);
  const pgid = child.pid;
  if (pgid === undefined) throw new Error(`could not start ${command}`);
  groups.add(pgid);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      if (killGroup(pgid, 'SIGTERM')) {
        const deadline = Date.now() + graceMs;
        while (groupAlive(pgid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
        if (groupAlive(pgid)) killGroup(pgid, 'SIGKILL');
      }
      groups.delete(pgid);
    })();
    return stopping;
  };
  onCleanup(stop);
  return { child, pgid, exited, stop };
}

/**
 * Runs a command to completion with a timeout; resolves with its output, or
 * rejects with the output's tail when it fails. The command runs in its own
 * process group, which is killed on timeout.
 */
export function run(command, args, { env = process.env, cwd = ROOT, timeoutMs, what = `${command} ${args.join(' ')}`, quiet = true } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const pgid = child.pid;
    if (pgid !== undefined) groups.add(pgid);
    let output = '';
    const collect = (chunk) => {
      output += chunk;
      if (!quiet) process.stdout.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      if (pgid !== undefined) killGroup(pgid, 'SIGKILL');
      reject(new TimeoutError(`${what}: timed out after ${Math.round(timeoutMs / 1000)} s\n${tail(output)}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${what}: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (pgid !== undefined) groups.delete(pgid);
      if (code === 0) resolve(output);
      else reject(new Error(`${what}: exited with ${code ?? signal}\n${tail(output)}`));
    });
  });
}

function tail(text, lines = 30) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

// ---------------------------------------------------------------- helpers

/** A free TCP port on 127.0.0.1 (the OS picks it; the socket is closed again at once). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A fresh temporary folder, removed at clean-up unless KPI_E2E_KEEP is set. */
export function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  onCleanup(() => {
    if (process.env.KPI_E2E_KEEP) log(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Copies the examples into `dir` (a throw-away workspace the editor may change). */
export function copyExamples(dir) {
  fs.cpSync(path.join(ROOT, 'examples'), dir, { recursive: true });
  return dir;
}

/** Seconds since `start` (a Date.now() value), for timing lines. */
export function since(start) {
  return `${((Date.now() - start) / 1000).toFixed(1)} s`;
}

/**
 * Prints the extension-host suite's results file (test/e2e/suite/index.ts
 * writes it; console output from the extension host arrives unformatted) and
 * returns its contents, or undefined when there is none.
 */
export function printSuiteResults(file) {
  let results;
  try {
    results = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    log(`no results in ${file}`);
    return undefined;
  }
  for (const test of results.tests) {
    const mark = test.state === 'passed' ? '✓' : test.state === 'failed' ? '✗' : '-';
    process.stdout.write(`  ${mark} ${test.title}${test.durationMs !== undefined ? ` (${test.durationMs} ms)` : ''}\n`);
    if (test.error) process.stdout.write(`${test.error.replace(/^/gm, '      ')}\n`);
  }
  return results;
}
