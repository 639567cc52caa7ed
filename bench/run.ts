// `npm run bench`: drives the BUNDLED server over stdio as an editor would, and
// the CLI as CI would, on generated workspaces. Prints a table and writes
// bench/results/latest.json. Figures are medians of repeated runs and ratios to
// a floor measured in the same run (a bare tokenising pass over the same text),
// never pass/fail thresholds: speed is tracked here, not asserted in tests.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lex } from '../server/src/language/syntax/lexer';
import { LineIndex } from '../server/src/language/text';
import { SERVER_EXEC_ARGV } from '../server/src/protocol';
import { CLI, LspClient, uriOf } from '../test/support/lsp';

/** The server as the extension starts it (another bundle for `--compare`). */
const serverClient = (server?: string) => new LspClient({ nodeArgs: [...SERVER_EXEC_ARGV], ...(server ? { server } : {}) });
import { generateFile, generateWorkspace, type GeneratedFile } from './generate';
import { LONG_SESSION_TARGET_MB, longSession, procMb, START_UPS } from './longSession';
import { percentile } from './stats';
import { mapRows } from './maps';
import { webviewRows } from './webview';

const QUICK = process.argv.includes('--quick');
/** `--compare=OTHER/dist/server.cjs`: only the 10k-line edit latency, that bundle against ours, interleaved. */
const COMPARE = process.argv.find((a) => a.startsWith('--compare='))?.slice('--compare='.length);
const EDITS = QUICK ? 20 : 60;
/** Edits of the long session (issue 15: 20,000 small edits on the 200-file workspace). */
const LONG_SESSION_EDITS = QUICK ? 4000 : 20_000;

interface Row {
  what: string;
  p50?: number;
  p95?: number;
  max?: number;
  value?: number;
  unit: string;
  floor?: number;
  /** For a memory figure: the RSS at the start of its session, to give the figure as a ratio. */
  start?: number;
  target?: string;
}

let rows: Row[] = [];
const RUNS = Number(/^--runs=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--runs=')) ?? '')?.[1] ?? (QUICK ? 1 : 3));

function writeWorkspace(files: GeneratedFile[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-bench-'));
  for (const f of files) fs.writeFileSync(path.join(root, f.key), f.text);
  return root;
}

/** A bare tokenising pass over the texts: the floor the analysis is compared to (median of 5). */
function floorMs(texts: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    for (const text of texts) lex(text);
    times.push(performance.now() - t);
  }
  return percentile(times, 50);
}

async function coldStart(files: number, lines: number): Promise<void> {
  const ws = generateWorkspace(files, lines);
  const root = writeWorkspace(ws);
  const times: number[] = [];
  let rss = NaN;
  for (let run = 0; run < (QUICK ? 1 : 3); run++) {
    const t = performance.now();
    const client = serverClient();
    await client.initialize(root);
    await Promise.all(ws.map((f) => client.waitForDiagnostics(uriOf(path.join(root, f.key)), () => true, 120_000)));
    times.push(performance.now() - t);
    rss = procMb(client.pid, 'VmHWM');
    await client.shutdown();
  }
  const total = ws.reduce((n, f) => n + f.text.split('\n').length, 0);
  rows.push({ what: `cold start → all diagnostics, ${files} files × ${lines} lines`, p50: percentile(times, 50), unit: 'ms', floor: floorMs(ws.map((f) => f.text)), target: '≤ 1000 ms' });
  rows.push({ what: `server peak RSS, ${total.toLocaleString('en')} lines`, value: rss, unit: 'MB', target: total >= 100_000 ? '≤ 150 MB' : '' });
  fs.rmSync(root, { recursive: true, force: true });
}

type EditKind = 'title' | 'owner' | 'rename';

/** didChange → the publishDiagnostics of that version, over EDITS edits. */
async function editLatency(label: string, files: GeneratedFile[], kind: EditKind, server?: string): Promise<void> {
  const root = writeWorkspace(files);
  const client = serverClient(server);
  await client.initialize(root);
  await Promise.all(files.map((f) => client.waitForDiagnostics(uriOf(path.join(root, f.key)), () => true, 120_000)));
  const target = files[0]!;
  const uri = uriOf(path.join(root, target.key));
  await client.open(uri, target.text);
  await client.waitForDiagnostics(uri, (p) => p.version === 1, 60_000);
  let text = target.text;
  const times: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const version = i + 2;
    let start: number;
    let end: number;
    let insert: string;
    if (kind === 'title') {
      // Type one character into a KPI title in the middle of the file.
      start = text.indexOf('"Requests logged in time', Math.floor(text.length / 2)) + 1;
      end = start;
      insert = 'x';
    } else if (kind === 'owner') {
      // Remove an owner line, then put it back.
      const at = text.indexOf('\n  owner       Role', Math.floor(text.length / 2));
      const lineEnd = text.indexOf('\n', at + 1);
      if (i % 2 === 0) {
        start = at;
        end = lineEnd;
        insert = '';
        ownerLine = text.slice(at, lineEnd);
      } else {
        start = at;
        end = at;
        insert = ownerLine;
      }
    } else {
      // Rename a role declared in this file and used in others... its declaration only (the references break and heal).
      const name = 'Role0_1';
      const at = text.indexOf(`role ${name}`) + 5;
      start = at + name.length;
      end = start;
      insert = i % 2 === 0 ? 'X' : '';
      if (i % 2 === 1) {
        start -= 1;
        end = start + 1;
      }
    }
    const lines = LineIndex.of(text);
    const range = { start: lines.positionAt(start), end: lines.positionAt(end) };
    text = text.slice(0, start) + insert + text.slice(end);
    const t = performance.now();
    await client.change(uri, version, [{ range, text: insert }]);
    await client.waitForDiagnostics(uri, (p) => p.version === version, 60_000);
    times.push(performance.now() - t);
  }
  await client.shutdown();
  fs.rmSync(root, { recursive: true, force: true });
  rows.push({ what: `edit → diagnostics (${kind}), ${label}`, p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times), unit: 'ms', floor: floorMs([target.text]), target: 'p50 ≤ 10, p95 ≤ 25' });
}
let ownerLine = '';

async function requestLatency(lines: number): Promise<void> {
  const file = generateFile(lines);
  const root = writeWorkspace([file]);
  const client = serverClient();
  await client.initialize(root);
  const uri = uriOf(path.join(root, file.key));
  await client.open(uri, file.text);
  await client.waitForDiagnostics(uri, (p) => p.version === 1, 60_000);
  const index = LineIndex.of(file.text);
  const completion: number[] = [];
  const hover: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const at = file.text.indexOf('  owner       ', Math.floor((i / EDITS) * file.text.length));
    const position = index.positionAt(at + 14);
    let t = performance.now();
    await client.request('textDocument/completion', { textDocument: { uri }, position });
    completion.push(performance.now() - t);
    const kpi = file.text.indexOf('kpi Kpi', Math.floor((i / EDITS) * file.text.length));
    t = performance.now();
    await client.request('textDocument/hover', { textDocument: { uri }, position: index.positionAt(kpi + 6) });
    hover.push(performance.now() - t);
  }
  await client.shutdown();
  fs.rmSync(root, { recursive: true, force: true });
  rows.push({ what: `completion, ${lines.toLocaleString('en')}-line file`, p50: percentile(completion, 50), p95: percentile(completion, 95), max: Math.max(...completion), unit: 'ms' });
  rows.push({ what: `hover, ${lines.toLocaleString('en')}-line file`, p50: percentile(hover, 50), p95: percentile(hover, 95), max: Math.max(...hover), unit: 'ms' });
}

function cliThroughput(files: number, lines: number): void {
  const ws = generateWorkspace(files, lines);
  const root = writeWorkspace(ws);
  const total = ws.reduce((n, f) => n + f.text.split('\n').length, 0);
  const times: number[] = [];
  for (let run = 0; run < (QUICK ? 1 : 3); run++) {
    const t = performance.now();
    spawnSync(process.execPath, [CLI, 'check', '--format', 'json', '--today', '2026-11-22'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });
    times.push(performance.now() - t);
  }
  const ms = percentile(times, 50);
  rows.push({ what: `kpi check, ${total.toLocaleString('en')} lines`, value: Math.round((total / ms) * 60_000), unit: 'lines/min', floor: floorMs(ws.map((f) => f.text)), target: '≥ 1,000,000' });
  fs.rmSync(root, { recursive: true, force: true });
}

/** Loading the bundled client and running `activate`, in fresh processes (bench/activation.cjs); median of 9. */
function activation(): void {
  const runs: { load: number; activate: number; client: number }[] = [];
  for (let i = 0; i < 9; i++) {
    const out = spawnSync(process.execPath, [path.join('bench', 'activation.cjs')], { encoding: 'utf8' });
    const result = JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}') as { load: number; activate: number; client: number; error?: string };
    if (result.error) throw new Error(`activation: ${result.error}`);
    runs.push(result);
  }
  const load = percentile(runs.map((r) => r.load), 50);
  const total = percentile(runs.map((r) => r.load + r.activate), 50);
  rows.push({ what: 'extension activation: load the bundle + activate (median of 9)', p50: total, unit: 'ms', target: '≤ 50 ms' });
  rows.push({ what: '… of which loading dist/extension.cjs', p50: load, unit: 'ms' });
  rows.push({ what: 'then, after activation: loading and starting the language client (dist/client.cjs)', p50: percentile(runs.map((r) => r.client), 50), unit: 'ms' });
}

/**
 * The server's memory over a long session, for each way it is started
 * (bench/longSession.ts): RSS once the workspace is analysed, after the last
 * edit (and as a ratio to the start), the peak, and the edits' latency.
 */
async function longSessions(): Promise<void> {
  for (const startUp of START_UPS) {
    const result = await longSession(startUp, LONG_SESSION_EDITS);
    const edits = LONG_SESSION_EDITS.toLocaleString('en');
    rows.push({ what: `long session, ${startUp.label}: RSS at start (200 files × 500 lines)`, value: result.startMb, unit: 'MB' });
    rows.push({ what: `… RSS after ${edits} edits`, value: result.endMb, unit: 'MB', start: result.startMb });
    rows.push({ what: `… peak RSS over ${edits} edits`, value: result.peakMb, unit: 'MB', start: result.startMb, target: `≤ ${LONG_SESSION_TARGET_MB} MB` });
    rows.push({ what: `… edit → diagnostics over ${edits} edits`, p50: result.editP50, p95: result.editP95, unit: 'ms' });
  }
}

function packageSizes(): void {
  const vsix = fs.readdirSync('.').find((f) => f.endsWith('.vsix')) ?? (fs.existsSync('dist') ? fs.readdirSync('dist').find((f) => f.endsWith('.vsix')) : undefined);
  const extension = ['extension', 'client', 'preview'].reduce((sum, bundle) => sum + fs.statSync(`dist/${bundle}.cjs`).size, 0) / 1024 / 1024;
  rows.push({ what: 'bundled client (dist/extension.cjs + dist/client.cjs + dist/preview.cjs)', value: extension, unit: 'MB' });
  if (vsix) rows.push({ what: `packaged extension (${vsix})`, value: fs.statSync(fs.existsSync(vsix) ? vsix : path.join('dist', vsix)).size / 1024 / 1024, unit: 'MB', target: '≤ 1.5 MB' });
}

/**
 * Whether a row meets its target, and if not by how much: "yes", or "no:
 * +32%" (over a ceiling) / "no: -12%" (under a floor). Targets are written as
 * `≤ N unit`, `≥ N`, `p50 ≤ N unit` or `p50 ≤ N, p95 ≤ M`.
 */
function verdict(row: Row): string {
  const target = row.target ?? '';
  const checks: { actual: number | undefined; limit: number; atMost: boolean }[] = [];
  const number = (text: string) => Number(text.replace(/,/g, ''));
  const pair = /p50 ≤ ([\d.,]+), p95 ≤ ([\d.,]+)/.exec(target);
  const single = /^(?:p50 )?([≤≥]) ([\d.,]+)/.exec(target);
  if (pair) checks.push({ actual: row.p50, limit: number(pair[1]!), atMost: true }, { actual: row.p95, limit: number(pair[2]!), atMost: true });
  else if (single) checks.push({ actual: row.p50 ?? row.value, limit: number(single[2]!), atMost: single[1] === '≤' });
  else return '';
  const misses = checks
    .filter((c) => c.actual !== undefined && (c.atMost ? c.actual > c.limit : c.actual < c.limit))
    .map((c) => `${c.atMost ? '+' : ''}${(((c.actual! - c.limit) / c.limit) * 100).toFixed(Math.abs(c.actual! - c.limit) < c.limit / 100 ? 1 : 0)}%`);
  return misses.length === 0 ? 'yes' : `no: ${misses.join(', ')}`;
}

function print(): void {
  const fmt = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? '' : n >= 1000 ? Math.round(n).toLocaleString('en') : n.toFixed(digits));
  const header = ['measure', 'p50', 'p95', 'max', 'value', 'unit', '× floor', 'target', 'met'];
  const body = rows.map((r) => [
    r.what,
    fmt(r.p50),
    fmt(r.p95),
    fmt(r.max),
    fmt(r.value),
    r.unit,
    r.floor && (r.p50 ?? 0) > 0
      ? `${(r.p50! / r.floor).toFixed(1)}× (${r.floor.toFixed(1)} ms)`
      : r.floor && r.unit === 'lines/min'
        ? `floor ${r.floor.toFixed(1)} ms`
        : r.start && r.value !== undefined
          ? `${(r.value / r.start).toFixed(2)}× start`
          : '',
    r.target ?? '',
    verdict(r),
  ]);
  const lines = [header, ...body].map((cells) => `| ${cells.join(' | ')} |`);
  lines.splice(1, 0, `|${header.map(() => ' --- ').join('|')}|`);
  console.log(lines.join('\n'));
}

async function measureAll(): Promise<void> {
  await coldStart(200, 500);
  for (const lines of QUICK ? [1000, 10_000] : [1000, 10_000, 50_000]) {
    await editLatency(`${lines.toLocaleString('en')}-line file`, [generateFile(lines)], 'title');
    await editLatency(`${lines.toLocaleString('en')}-line file`, [generateFile(lines)], 'owner');
  }
  const workspace = generateWorkspace(QUICK ? 50 : 200, 500);
  await editLatency(`${workspace.length} files × 500 lines`, workspace, 'title');
  await editLatency(`${workspace.length} files × 500 lines`, workspace, 'rename');
  await requestLatency(10_000);
  rows.push(...mapRows(QUICK ? 50 : 200, QUICK ? 5 : 20));
  rows.push(...(await webviewRows(QUICK ? 50 : 200, QUICK ? 5 : 20)));
  cliThroughput(20, 5000);
  await longSessions();
  activation();
  packageSizes();
}

/** Before/after on the 10k-line file: the two bundles alternate, so drifts of the machine hit both. */
async function compareBundles(before: string, run: number): Promise<void> {
  const sides: [string, string][] = [['before', path.resolve(before)], ['after', path.resolve('dist', 'server.cjs')]];
  if (run % 2 === 1) sides.reverse();
  for (const kind of ['title', 'owner'] as const) {
    for (const [label, bundle] of sides) await editLatency(`10,000-line file, ${label}`, [generateFile(10_000)], kind, bundle);
  }
  // Keep the rows in one order whichever side ran first, so the runs' medians line up.
  rows.sort((a, b) => a.what.localeCompare(b.what));
}

/** Each figure of the table is the median of that figure over the runs. */
function medianRows(runs: Row[][]): Row[] {
  const median = (values: (number | undefined)[]) => {
    const known = values.filter((v): v is number => v !== undefined && !Number.isNaN(v));
    return known.length === 0 ? undefined : percentile(known, 50);
  };
  return runs[0]!.map((row, i) => {
    const same = runs.map((run) => run[i]!);
    return { ...row, p50: median(same.map((r) => r.p50)), p95: median(same.map((r) => r.p95)), max: median(same.map((r) => r.max)), value: median(same.map((r) => r.value)), floor: median(same.map((r) => r.floor)), start: median(same.map((r) => r.start)) };
  });
}

async function main(): Promise<void> {
  const started = performance.now();
  const runs: Row[][] = [];
  for (let run = 0; run < RUNS; run++) {
    rows = [];
    if (COMPARE) await compareBundles(COMPARE, run);
    else await measureAll();
    runs.push(rows);
    console.log(`bench: run ${run + 1} of ${RUNS} done`);
  }
  rows = medianRows(runs);
  print();
  const out = path.join('bench', 'results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, COMPARE ? 'compare.json' : 'latest.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, quick: QUICK, runs: RUNS, rows, each: runs }, null, 2));
  console.log(`\nbench: ${rows.length} measures, median of ${RUNS} run(s), in ${((performance.now() - started) / 1000).toFixed(0)} s; results in bench/results/${COMPARE ? 'compare' : 'latest'}.json`);
}

await main();
