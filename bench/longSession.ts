// The long-session part of `npm run bench`: the server's memory over many
// small edits on the 200-file workspace, for each way it is started: as the
// extension starts it (forked with SERVER_EXEC_ARGV, over IPC, as
// vscode-languageclient does) and as `kpi-language-server --stdio` (plain
// `node dist/server.cjs --stdio`, no flags from the caller). Memory is read
// from /proc: the resident set now (VmRSS) and its peak (VmHWM). Run alone
// with `node --import tsx bench/longSession.ts [--quick] [--edits=N]`;
// bench/run.ts calls `longSession` for each of START_UPS.
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LineIndex } from '../server/src/language/text';
import { SERVER_EXEC_ARGV } from '../server/src/protocol';
import { IPCMessageReader, IPCMessageWriter } from 'vscode-languageserver-protocol/node';
import { LspClient, SERVER, TODAY, uriOf, type ServerTransport } from '../test/support/lsp';
import { generateWorkspace } from './generate';
import { percentile } from './stats';

/** The RSS a long session must stay under (issue 15). */
export const LONG_SESSION_TARGET_MB = 350;

export interface StartUp {
  label: string;
  /** What goes to node before dist/server.cjs. */
  nodeArgs: readonly string[];
  /** Forked and spoken to over Node's IPC channel (as the extension does), or spawned over stdio. */
  transport: 'ipc' | 'stdio';
}

/** The two ways users start the server. */
export const START_UPS: readonly StartUp[] = [
  { label: 'extension (fork, IPC, SERVER_EXEC_ARGV)', nodeArgs: SERVER_EXEC_ARGV, transport: 'ipc' },
  { label: 'kpi-language-server --stdio', nodeArgs: [], transport: 'stdio' },
];

/** The server forked as vscode-languageclient forks it for TransportKind.ipc. */
function forkOverIpc(nodeArgs: readonly string[], env: Record<string, string> | undefined): ServerTransport {
  const child = fork(SERVER, ['--node-ipc', `--clientProcessId=${process.pid}`], {
    execArgv: [...nodeArgs],
    env: { ...process.env, KPI_TODAY: TODAY, ...env },
    silent: true,
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  child.stdout?.resume();
  return {
    reader: new IPCMessageReader(child),
    writer: new IPCMessageWriter(child),
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    closeInput: () => child.disconnect(),
    kill: () => child.kill('SIGKILL'),
    pid: child.pid,
    output: () => stderr,
  };
}

export interface LongSessionResult {
  label: string;
  edits: number;
  /** RSS once every file's diagnostics are published, before the first edit. */
  startMb: number;
  /** RSS after the last edit. */
  endMb: number;
  /** The highest RSS of the whole session (VmHWM). */
  peakMb: number;
  /** RSS every `sampleEvery` edits, for a curve. */
  samples: number[];
  /** didChange → that version's diagnostics, p50 and p95 over all edits (ms). */
  editP50: number;
  editP95: number;
}

/** A field of /proc/PID/status in MB (VmRSS: now; VmHWM: the peak). */
export function procMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  if (!pid) return NaN;
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
  return kb ? Number(kb[1]) / 1024 : NaN;
}

/**
 * One session: start the server, wait for every file's diagnostics, open a few
 * files and make `edits` small edits spread over them (type a character into
 * a KPI title and take it out again, remove an owner line and put it back),
 * each waited for as an editor's user would see it.
 */
export async function longSession(startUp: StartUp, edits: number, options: { env?: Record<string, string>; sampleEvery?: number } = {}): Promise<LongSessionResult> {
  const files = generateWorkspace(200, 500);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-bench-long-'));
  for (const f of files) fs.writeFileSync(path.join(root, f.key), f.text);
  const client =
    startUp.transport === 'ipc' ? new LspClient({ transport: forkOverIpc(startUp.nodeArgs, options.env) }) : new LspClient({ nodeArgs: [...startUp.nodeArgs], ...(options.env ? { env: options.env } : {}) });
  try {
    await client.initialize(root);
    await Promise.all(files.map((f) => client.waitForDiagnostics(uriOf(path.join(root, f.key)), () => true, 120_000)));
    const open = [0, 50, 100, 150, 199].map((i) => ({ uri: uriOf(path.join(root, files[i]!.key)), text: files[i]!.text, version: 1, lines: LineIndex.of(files[i]!.text), ownerLine: '', ownerAt: 0 }));
    for (const doc of open) {
      await client.open(doc.uri, doc.text);
      await client.waitForDiagnostics(doc.uri, (p) => p.version === 1, 60_000);
    }
    const startMb = procMb(client.pid, 'VmRSS');
    const sampleEvery = options.sampleEvery ?? Math.max(1, Math.floor(edits / 20));
    const samples: number[] = [];
    const times: number[] = [];
    for (let i = 0; i < edits; i++) {
      const doc = open[i % open.length]!;
      // Each document goes through a cycle of four edits that ends where it began.
      const step = Math.floor(i / open.length) % 4;
      let start: number;
      let end: number;
      let insert: string;
      if (step === 0 || step === 1) {
        const at = doc.text.indexOf('"Requests logged in time', Math.floor(doc.text.length / 3)) + 1;
        [start, end, insert] = step === 0 ? [at, at, 'x'] : [at, at + 1, ''];
      } else {
        if (step === 2) {
          const at = doc.text.indexOf('\n  owner       ', Math.floor(doc.text.length / 2));
          [start, end, insert] = [at, doc.text.indexOf('\n', at + 1), ''];
          doc.ownerLine = doc.text.slice(start, end);
          doc.ownerAt = at;
        } else [start, end, insert] = [doc.ownerAt, doc.ownerAt, doc.ownerLine];
      }
      const range = { start: doc.lines.positionAt(start), end: doc.lines.positionAt(end) };
      doc.text = doc.text.slice(0, start) + insert + doc.text.slice(end);
      doc.lines = LineIndex.of(doc.text);
      const version = ++doc.version;
      const t = performance.now();
      await client.change(doc.uri, version, [{ range, text: insert }]);
      await client.waitForDiagnostics(doc.uri, (p) => p.version === version, 60_000);
      times.push(performance.now() - t);
      if ((i + 1) % sampleEvery === 0) samples.push(procMb(client.pid, 'VmRSS'));
    }
    return {
      label: startUp.label,
      edits,
      startMb,
      endMb: procMb(client.pid, 'VmRSS'),
      peakMb: procMb(client.pid, 'VmHWM'),
      samples,
      editP50: percentile(times, 50),
      editP95: percentile(times, 95),
    };
  } finally {
    await client.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Run alone: one session per start-up, printed as JSON lines. */
async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const edits = Number(/^--edits=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--edits=')) ?? '')?.[1] ?? (quick ? 4000 : 20_000));
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  for (const startUp of START_UPS) {
    if (only && !startUp.label.includes(only)) continue;
    const result = await longSession(startUp, edits);
    console.log(JSON.stringify({ ...result, samples: result.samples.map((s) => Math.round(s)) }));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
