// Fuzzing the bundled language server over stdio (docs/fuzzing.md): one
// session opens a document of a workspace folder, sends random incremental
// edits (mutations, typing, several changes in one notification, whole-text
// replacements) interleaved with editor requests, and checks that
//   - the server stays up, logs no failure, and answers every request
//     (an error answer only where the protocol expects one: a refused rename);
//   - every range it sends — published diagnostics, and ranges in answers —
//     lies inside the text of the version it belongs to;
//   - after the last edit its diagnostics equal a fresh analysis of the final texts;
//   - its peak memory (VmHWM) stays under a generous bound.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';
import { createWorkspace, type Severity } from '../../server/src/language/service';
import { capDiagnostics } from '../../server/src/publish';
import { findKpiFiles, keyFor, nodeFileSystem, readText } from '../../server/src/node/files';
import {
  applyEdit,
  caseRandom,
  CSV_MUTATORS,
  diffEdit,
  generateDeclaration,
  int,
  lineLengths,
  lineStarts,
  loadExamples,
  MUTATORS,
  pick,
  positionAt,
  rangeInside,
  toContentChange,
  tokenize,
  withInvalidUtf8Bytes,
  type CorpusFile,
  type Position,
  type Rnd,
} from './fuzz';
import { TODAY, type Problem } from './invariants';
import { LspClient, removeWorkspace, tempWorkspace, uriOf } from './lsp';
import { random } from './random';

/** Peak resident memory allowed for one session's server: far above what it needs, low enough to catch a leak or a blow-up. */
export const MEMORY_LIMIT_MB = 400;
/** How long an answer may take before it counts as never coming. Not a speed check: it turns a hang into a readable failure. */
const ANSWER_TIMEOUT_MS = 60_000;
const SEVERITY: Record<Severity, 1 | 2 | 3 | 4> = { error: 1, warning: 2, information: 3, hint: 4 };
/** The examples' data file (a session changes it on disk now and then). */
const DATA_FILE = 'data/sellout.csv';
/** Texts grow under some mutations; past this size the next edit restores the original text. */
const MAX_TEXT = 300_000;

export interface SessionOptions {
  seed: number;
  index: number;
  /** didChange notifications to send (typing sends one per character, each counted). */
  edits: number;
  corpus: readonly CorpusFile[];
  /** Scale of the big mutations (see MutationContext). */
  scale: number;
}

export interface SessionResult {
  edits: number;
  requests: number;
  problems: Problem[];
  /** The edited document's key and its text after the last edit (or at the first problem). */
  key: string;
  finalText: string;
  /** What the session did, one line per step, for the finding's report. */
  steps: string[];
  memoryMb: number;
}

interface Ask {
  uri: string;
  at: () => Position;
  range: () => { start: Position; end: Position };
  rnd: Rnd;
  /** The diagnostics last published for the document, as an editor passes them to code actions. */
  diagnostics: () => Diagnostic[];
}
type Params = (ask: Ask) => unknown;

/** The requests an editor sends while the user types; each answer must come, and not as an error. */
const REQUESTS: { method: string; params: Params }[] = [
  { method: 'textDocument/hover', params: ({ uri, at }) => ({ textDocument: { uri }, position: at() }) },
  { method: 'textDocument/completion', params: ({ uri, at }) => ({ textDocument: { uri }, position: at(), context: { triggerKind: 1 } }) },
  { method: 'textDocument/definition', params: ({ uri, at }) => ({ textDocument: { uri }, position: at() }) },
  { method: 'textDocument/references', params: ({ uri, at, rnd }) => ({ textDocument: { uri }, position: at(), context: { includeDeclaration: rnd() < 0.5 } }) },
  { method: 'textDocument/documentHighlight', params: ({ uri, at }) => ({ textDocument: { uri }, position: at() }) },
  { method: 'textDocument/prepareRename', params: ({ uri, at }) => ({ textDocument: { uri }, position: at() }) },
  { method: 'textDocument/rename', params: ({ uri, at, rnd }) => ({ textDocument: { uri }, position: at(), newName: pick(rnd, ['Renamed', 'kpi', '', '9x', 'a b']) }) },
  { method: 'textDocument/documentSymbol', params: ({ uri }) => ({ textDocument: { uri } }) },
  { method: 'textDocument/semanticTokens/full', params: ({ uri }) => ({ textDocument: { uri } }) },
  { method: 'textDocument/semanticTokens/range', params: ({ uri, range }) => ({ textDocument: { uri }, range: range() }) },
  { method: 'textDocument/formatting', params: ({ uri }) => ({ textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } }) },
  { method: 'textDocument/rangeFormatting', params: ({ uri, range }) => ({ textDocument: { uri }, range: range(), options: { tabSize: 4, insertSpaces: true } }) },
  { method: 'textDocument/codeAction', params: ({ uri, range, diagnostics, rnd }) => ({ textDocument: { uri }, range: range(), context: { diagnostics: diagnostics(), ...(rnd() < 0.3 ? { only: ['source.fixAll'] } : {}) } }) },
  { method: 'textDocument/codeLens', params: ({ uri }) => ({ textDocument: { uri } }) },
  { method: 'textDocument/inlayHint', params: ({ uri, range }) => ({ textDocument: { uri }, range: range() }) },
  { method: 'textDocument/foldingRange', params: ({ uri }) => ({ textDocument: { uri } }) },
  { method: 'textDocument/documentLink', params: ({ uri }) => ({ textDocument: { uri } }) },
  { method: 'workspace/symbol', params: ({ rnd }) => ({ query: pick(rnd, ['', 'S', 'kpi', 'Growth']) }) },
  { method: 'kpi/scorecard', params: ({ uri, rnd }) => ({ scope: rnd() < 0.5 ? 'file' : 'workspace', uri }) },
];

/** Error codes that are proper answers: a refused rename (RequestFailed). */
const PROPER_ERRORS: Record<string, number[]> = { 'textDocument/prepareRename': [-32803], 'textDocument/rename': [-32803] };

export async function runServerSession(options: SessionOptions): Promise<SessionResult> {
  const rnd = caseRandom(options.seed, options.index);
  const context = { corpus: options.corpus.map((c) => c.text), scale: options.scale };
  const examples = loadExamples();
  const root = tempWorkspace(Object.fromEntries(examples), 'kpi-fuzz-');
  const problems: Problem[] = [];
  const steps: string[] = [];
  // A file on disk with invalid UTF-8 and NUL bytes: the server reads it at start-up.
  if (rnd() < 0.5) {
    const raw = withInvalidUtf8Bytes(pick(rnd, options.corpus).text.replace(/ /g, () => (rnd() < 0.01 ? '\u0000' : ' ')), rnd);
    fs.writeFileSync(path.join(root, 'raw.kpi'), raw);
    steps.push('raw.kpi on disk: a corpus file with invalid UTF-8 and NUL bytes');
  }
  const exampleKeys = [...examples.keys()].filter((k) => k.endsWith('.kpi'));
  const key = rnd() < 0.6 ? pick(rnd, exampleKeys) : 'fuzz.kpi';
  const original = key === 'fuzz.kpi' ? pick(rnd, options.corpus).text : examples.get(key)!;
  const uri = uriOf(path.join(root, key));
  const dataFile = path.join(root, DATA_FILE);
  /** The server's text of each version of the edited document. */
  const versions = new Map<number, string>();
  let text = original;
  let version = 1;
  versions.set(version, text);
  let requests = 0;
  const pending: Promise<void>[] = [];
  const client = new LspClient({ cwd: root });
  let memoryMb = 0;

  try {
    await client.initialize(root);
    await client.open(uri, text, version);
    steps.push(`open ${key} (${text.length} characters)`);

    const position = (): Position => {
      if (rnd() < 0.05) return pick(rnd, [{ line: 1_000_000, character: 0 }, { line: 0, character: 1_000_000 }, { line: 1_000_000, character: 1_000_000 }]);
      const lengths = lineLengths(text);
      const line = int(rnd, 0, lengths.length - 1);
      return { line, character: int(rnd, 0, lengths[line]!) };
    };
    const range = () => {
      const [a, b] = [position(), position()];
      return a.line < b.line || (a.line === b.line && a.character <= b.character) ? { start: a, end: b } : { start: b, end: a };
    };

    const send = (edits: ReturnType<typeof toContentChange>[] | { text: string }[], newText: string, what: string) => {
      version++;
      text = newText;
      versions.set(version, text);
      steps.push(`v${version}: ${what}`);
      return client.change(uri, version, edits);
    };

    const ask = () => {
      const request = pick(rnd, REQUESTS);
      const params = request.params({ uri, at: position, range, rnd, diagnostics: () => client.diagnostics.get(uri)?.diagnostics ?? [] });
      const sentWith = text;
      requests++;
      pending.push(
        answer(client.request<unknown>(request.method, params)).then((outcome) => {
          if ('error' in outcome) {
            const code = (outcome.error as { code?: number }).code;
            if (!PROPER_ERRORS[request.method]?.includes(code!)) problems.push({ kind: outcome.timedOut ? 'hang' : 'crash', message: `${request.method} answered ${outcome.timedOut ? 'nothing' : `an error (${code}): ${(outcome.error as Error).message}`}\n  params: ${JSON.stringify(params).slice(0, 300)}`, text: sentWith });
          } else {
            const found: Problem[] = [];
            checkAnswer(request.method, outcome.result, uri, sentWith, found);
            problems.push(...found.map((p) => ({ ...p, text: sentWith })));
          }
        }),
      );
    };

    let sent = 0;
    while (sent < options.edits) {
      const roll = rnd();
      if (text.length > MAX_TEXT || roll < 0.05) {
        await send([{ text: original }], original, 'replace the whole text with the original');
        sent++;
      } else if (roll < 0.15) {
        // Typing: one notification per character, as fast as an editor sends them.
        const piece = rnd() < 0.5 ? generateDeclaration(rnd, text) : pick(rnd, ['owner ', 'kpi A { ', '}', '"', '/*', 'step P.S', 'actual 2026-10 3\n', '{{', '->']);
        let at = pick(rnd, [0, text.length, ...tokenize(text).map((t) => t.start)]);
        steps.push(`type ${JSON.stringify(piece.slice(0, 60))} at offset ${at}`);
        for (const ch of piece.slice(0, options.edits - sent)) {
          const edit = { start: at, end: at, text: ch };
          await send([toContentChange(text, edit)], applyEdit(text, edit), `type ${JSON.stringify(ch)}`);
          at++;
          sent++;
          if (rnd() < 0.1) ask();
        }
      } else if (roll < 0.25) {
        // Several changes in one notification: each applies to the text the previous one left.
        const changes: ReturnType<typeof toContentChange>[] = [];
        const names: string[] = [];
        let running = text;
        for (let n = int(rnd, 2, 4); n > 0; n--) {
          const mutator = pick(rnd, MUTATORS);
          const next = mutator.apply(running, rnd, context);
          changes.push(toContentChange(running, diffEdit(running, next)));
          names.push(mutator.name);
          running = next;
        }
        await send(changes, running, `${changes.length} changes in one notification: ${names.join(', ')}`);
        sent++;
      } else if (roll < 0.27) {
        // The data file changes on disk, and the editor's file watcher says so.
        const csv = pick(rnd, CSV_MUTATORS).apply(fs.readFileSync(dataFile, 'utf8'), rnd, context);
        fs.writeFileSync(dataFile, csv);
        steps.push(`${DATA_FILE} changed on disk (${csv.length} characters)`);
        await client.watchedFilesChanged([{ uri: uriOf(dataFile), type: 2 }]);
      } else if (roll < 0.29) {
        // Closed (the server goes back to the file on disk, or forgets a new file) and opened again.
        await client.close(uri);
        version++;
        versions.set(version, text);
        steps.push(`v${version}: close and open again`);
        await client.open(uri, text, version);
        sent++;
      } else if (roll < 0.32) {
        const earlier = pick(rnd, [...versions.keys()]);
        const back = versions.get(earlier)!;
        await send([toContentChange(text, diffEdit(text, back))], back, `undo back to the text of v${earlier}`);
        sent++;
      } else {
        const mutator = pick(rnd, MUTATORS);
        const next = mutator.apply(text, rnd, context);
        await send([toContentChange(text, diffEdit(text, next))], next, mutator.name);
        sent++;
      }
      if (rnd() < 0.5) for (let n = int(rnd, 1, 3); n > 0; n--) ask();
      // Now and then let the server catch up, as a user pausing would.
      if (rnd() < 0.1) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending.splice(0));

    const last = version;
    const final = await answer(client.waitForDiagnostics(uri, (p) => p.version === last, ANSWER_TIMEOUT_MS));
    if ('error' in final) problems.push({ kind: 'hang', message: `no diagnostics were published for the last version (v${last}): ${String(final.error).split('\n')[0]}` });
    // The documents an edit reaches elsewhere are published a turn later: wait
    // until a request's answer comes with no publication since the last one.
    for (let round = 0, seen = -1; round < 20 && seen !== client.history.length; round++) {
      seen = client.history.length;
      await answer(client.request('textDocument/documentSymbol', { textDocument: { uri } }));
    }
    checkPublished(client.history, uri, versions, problems);
    if (!('error' in final)) compareWithFresh(client, root, key, text, problems);
    const crashes = client.logs.filter((l) => /kpi-language-server: (request failed|error while)/.test(l));
    for (const log of crashes.slice(0, 3)) problems.push({ kind: 'crash', message: `the server logged a failure: ${log.split('\n').slice(0, 6).join('\n')}` });
    memoryMb = peakMemoryMb(client.pid);
    if (memoryMb > MEMORY_LIMIT_MB) problems.push({ kind: 'memory', message: `the server's peak memory was ${Math.round(memoryMb)} MB (limit ${MEMORY_LIMIT_MB} MB)` });
  } catch (error) {
    problems.push({ kind: 'crash', message: `the session failed: ${(error as Error).message}` });
  } finally {
    await client.shutdown();
    removeWorkspace(root);
  }
  return { edits: version - 1, requests, problems, key, finalText: text, steps, memoryMb };
}

/** Settles a promise into a result or an error, and gives up (`timedOut`) after ANSWER_TIMEOUT_MS. */
async function answer<T>(promise: Promise<T>): Promise<{ result: T } | { error: unknown; timedOut?: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ error: unknown; timedOut: boolean }>((resolve) => {
    timer = setTimeout(() => resolve({ error: new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`), timedOut: true }), ANSWER_TIMEOUT_MS);
  });
  try {
    return await Promise.race([promise.then((result) => ({ result })), timeout]);
  } catch (error) {
    return { error };
  } finally {
    clearTimeout(timer);
  }
}

/** Peak resident memory of a process in MB (Linux; 0 elsewhere). */
export function peakMemoryMb(pid: number | undefined): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** Every published diagnostic lies inside the text it was computed for: the version it names, or the file on disk. */
function checkPublished(history: readonly PublishDiagnosticsParams[], uri: string, versions: ReadonlyMap<number, string>, problems: Problem[]): void {
  const diskLengths = new Map<string, number[]>();
  for (const params of history) {
    let lengths: number[] | undefined;
    if (params.uri === uri && params.version !== undefined) {
      const text = versions.get(params.version);
      if (text === undefined) {
        problems.push({ kind: 'invariant', message: `diagnostics were published for v${params.version} of ${params.uri}, a version never sent` });
        continue;
      }
      lengths = lineLengths(text);
    } else {
      const file = fileURLToPath(params.uri);
      if (!diskLengths.has(file)) diskLengths.set(file, lineLengths(readText(file) ?? ''));
      lengths = diskLengths.get(file)!;
    }
    for (const d of params.diagnostics) {
      if (!rangeInside(d.range, lengths)) {
        const text = params.uri === uri && params.version !== undefined ? versions.get(params.version) : undefined;
        problems.push({ kind: 'invariant', message: `a ${String(d.code)} diagnostic published for ${path.basename(params.uri)} v${params.version ?? '-'} at ${describeRange(d)} lies outside its text (${lengths.length} lines)`, ...(text === undefined ? {} : { text }) });
        return;
      }
    }
  }
}


function describeRange(d: Diagnostic): string {
  return `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
}

/** The server's latest diagnostics of every file equal a fresh analysis of the folder with the edited text. */
function compareWithFresh(client: LspClient, root: string, key: string, text: string, problems: Problem[]): void {
  const texts = new Map<string, string>();
  for (const file of findKpiFiles(root)) texts.set(keyFor(root, file), readText(file) ?? '');
  texts.set(key, text);
  const workspace = createWorkspace({ root, fs: nodeFileSystem, today: () => TODAY, files: [...texts].map(([k, t]) => ({ key: k, path: path.join(root, k), text: t })) });
  // What the server would publish: LSP ranges, at most MAX_PUBLISHED_DIAGNOSTICS per file (server/src/publish.ts).
  const expected = new Map<string, string[]>();
  for (const doc of workspace.documents) {
    const starts = lineStarts(doc.text);
    const lsp = workspace.diagnostics(doc.key).map((d): Diagnostic => ({ range: { start: positionAt(starts, d.span.start), end: positionAt(starts, d.span.end) }, severity: SEVERITY[d.severity], code: d.code, message: d.message }));
    expected.set(doc.key, capDiagnostics(lsp).map((d) => `${describeRange(d)} ${String(d.code)} ${d.message}`));
  }
  for (const [k, lines] of expected) {
    const published = client.diagnostics.get(uriOf(path.join(root, k)))?.diagnostics ?? [];
    const actual = published.map((d) => `${describeRange(d)} ${String(d.code)} ${d.message}`).sort();
    lines.sort();
    if (actual.join('\n') !== lines.join('\n')) {
      const missing = lines.filter((l) => !actual.includes(l));
      const extra = actual.filter((l) => !lines.includes(l));
      problems.push({ kind: 'invariant', message: `the server's diagnostics of ${k} differ from a fresh analysis\n  missing: ${missing.slice(0, 5).join('\n           ')}\n  extra:   ${extra.slice(0, 5).join('\n           ')}` });
    }
  }
}

/** Every range and position in an answer lies inside the document it names (this one unless a `uri` says otherwise). */
function checkAnswer(method: string, result: unknown, uri: string, text: string, problems: Problem[]): void {
  const lengths = lineLengths(text);
  const bad = (what: string) => problems.push({ kind: 'invariant', message: `${method} answered ${what} outside the document (${lengths.length} lines)` });
  const walk = (value: unknown, at: string): void => {
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, at);
      return;
    }
    const record = value as Record<string, unknown>;
    const here = typeof record['uri'] === 'string' ? (record['uri'] as string) : at;
    if (here !== uri) return; // another file: its text is the one on disk, not checked here
    if (isPosition(record['start']) && isPosition(record['end'])) {
      if (!rangeInside(record as { start: Position; end: Position }, lengths)) bad(`the range ${JSON.stringify(record)}`);
      return;
    }
    if (isPosition(record['position']) && !rangeInside({ start: record['position'], end: record['position'] }, lengths)) bad(`the position ${JSON.stringify(record['position'])}`);
    if (typeof record['startLine'] === 'number' && !(record['startLine'] <= (record['endLine'] as number) && (record['endLine'] as number) < lengths.length)) bad(`the folding range ${JSON.stringify(record)}`);
    if (method.startsWith('textDocument/semanticTokens') && Array.isArray(record['data'])) checkSemanticTokens(record['data'] as number[], lengths, bad);
    for (const [k, v] of Object.entries(record)) {
      // A code action repeats the diagnostics the client sent, which may be older than the text.
      if (k === 'diagnostics' && method === 'textDocument/codeAction') continue;
      if (k === 'changes' && typeof v === 'object' && v !== null) for (const [target, edits] of Object.entries(v)) walk(edits, target);
      else walk(v, here);
    }
  };
  walk(result, uri);
}

/** Decodes LSP's relative encoding: every token on an existing line, within it. */
function checkSemanticTokens(data: readonly number[], lengths: readonly number[], bad: (what: string) => void): void {
  let line = 0;
  let character = 0;
  for (let i = 0; i + 2 < data.length; i += 5) {
    const [deltaLine, deltaStart, length] = [data[i]!, data[i + 1]!, data[i + 2]!];
    line += deltaLine;
    character = deltaLine === 0 ? character + deltaStart : deltaStart;
    if (line >= lengths.length || character + length > lengths[line]!) {
      bad(`a semantic token at ${line}:${character} (length ${length})`);
      return;
    }
  }
}

function isPosition(value: unknown): value is Position {
  return typeof value === 'object' && value !== null && typeof (value as Position).line === 'number' && typeof (value as Position).character === 'number';
}

/**
 * Replays reproducers in one server: each is opened (its `before` text, then
 * the edit to its text, when it has one), asked every request at its start,
 * middle and end, checked like a session, and closed again.
 */
export async function replayInServer(reproducers: readonly { name: string; text: string; before?: string }[]): Promise<Problem[]> {
  const root = tempWorkspace({}, 'kpi-fuzz-replay-');
  const client = new LspClient({ cwd: root });
  const problems: Problem[] = [];
  try {
    await client.initialize(root);
    for (const r of reproducers) {
      const uri = uriOf(path.join(root, `${r.name}.kpi`));
      const found: Problem[] = [];
      const versions = new Map([[1, r.before ?? r.text]]);
      await client.open(uri, versions.get(1)!, 1);
      if (r.before !== undefined) {
        versions.set(2, r.text);
        await client.change(uri, 2, [toContentChange(r.before, diffEdit(r.before, r.text))]);
      }
      const last = versions.size;
      const starts = [0, Math.floor(r.text.length / 2), r.text.length];
      const lines = lineStarts(r.text);
      const whole = { start: { line: 0, character: 0 }, end: positionAt(lines, r.text.length) };
      const asks = REQUESTS.flatMap((request) =>
        starts.map(async (offset) => {
          const params = request.params({ uri, at: () => positionAt(lines, offset), range: () => whole, rnd: random(offset), diagnostics: () => client.diagnostics.get(uri)?.diagnostics ?? [] });
          const outcome = await answer(client.request<unknown>(request.method, params));
          if (!('error' in outcome)) checkAnswer(request.method, outcome.result, uri, r.text, found);
          else if (!PROPER_ERRORS[request.method]?.includes((outcome.error as { code?: number }).code!)) found.push({ kind: 'crash', message: `${request.method} answered an error: ${String((outcome.error as Error).message)}` });
        }),
      );
      await Promise.all(asks);
      const final = await answer(client.waitForDiagnostics(uri, (p) => p.version === last, ANSWER_TIMEOUT_MS));
      if ('error' in final) found.push({ kind: 'hang', message: `no diagnostics were published for ${r.name}` });
      checkPublished(client.history.filter((p) => p.uri === uri), uri, versions, found);
      await client.close(uri);
      problems.push(...found.map((p) => ({ ...p, message: `${r.name}: ${p.message}` })));
    }
    const crashes = client.logs.filter((l) => /kpi-language-server: (request failed|error while)/.test(l));
    for (const log of crashes.slice(0, 3)) problems.push({ kind: 'crash', message: `the server logged a failure: ${log.split('\n').slice(0, 6).join('\n')}` });
  } finally {
    await client.shutdown();
    removeWorkspace(root);
  }
  return problems;
}
