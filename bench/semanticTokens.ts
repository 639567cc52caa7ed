// The cost of semantic tokens after an edit, in this process, on one large
// generated file: one-character edits into KPI titles, each followed by what
// the server does for VS Code (analysis, then a full tokens request, a range
// request over a screenful, and a delta request where the build has one).
// CPU time per request, medians. Not part of `npm run bench`: it measures one
// feature of the core against another build of the same core.
//
//   node --import tsx bench/semanticTokens.ts [--src=OTHER_CHECKOUT] [--lines=50000] [--edits=40]
//
// `--src` loads the core from another checkout (the build before a change), so
// that two runs, alternated, compare like with like on a shared machine.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MemoryFileSystem } from '../test/support/memory-fs';
import { generateFile } from './generate';
import { percentile } from './stats';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const SOURCE = path.resolve(arg('src', path.join(import.meta.dirname, '..')));
const LINES = Number(arg('lines', '50000'));
const EDITS = Number(arg('edits', '40'));

interface Span {
  start: number;
  end: number;
}
interface Doc {
  text: string;
  lines: { lineOf(offset: number): number; lineStart(line: number): number };
}
interface Ws {
  getDocument(key: string): Doc | undefined;
  setDocument(key: string, text: string, version?: number, filePath?: string, change?: { start: number; end: number; newLength: number }): Doc;
  analyze(): unknown;
}
/** What a tokens request costs in one build: the full request's data, a range's, and a delta's (undefined when the build has none). */
interface Requests {
  full(ws: Ws, doc: Doc): number[];
  range(ws: Ws, doc: Doc, span: Span): number[];
  delta?(ws: Ws, doc: Doc): unknown;
}

const load = (file: string) => import(pathToFileURL(path.join(SOURCE, 'server', 'src', 'language', file)).href);
const service = await load('service.ts');
const features = await load('features/semanticTokens.ts');
/** The cache of kept tokens, in the builds that have it. */
const kept = await load('features/semanticTokenCache.ts').catch(() => undefined);

function requestsOf(): Requests {
  if (kept) {
    // One cache per workspace, as the server holds it.
    const caches = new WeakMap<Ws, { full(doc: Doc): { resultId: string; data: number[] }; delta(doc: Doc, previous: string): unknown; range(doc: Doc, span: Span): number[] }>();
    const cache = (ws: Ws) => {
      const known = caches.get(ws);
      if (known) return known;
      const made = new kept.SemanticTokenCache(ws);
      caches.set(ws, made);
      return made;
    };
    let last = '';
    return {
      full: (ws, doc) => {
        const result = cache(ws).full(doc);
        last = result.resultId;
        return result.data;
      },
      range: (ws, doc, span) => cache(ws).range(doc, span),
      delta: (ws, doc) => {
        const result = cache(ws).delta(doc, last) as { resultId: string };
        last = result.resultId;
        return result;
      },
    };
  }
  return {
    full: (ws, doc) => features.encodeSemanticTokens(features.documentSemanticTokens(ws, doc), doc.lines),
    range: (ws, doc, span) => features.encodeSemanticTokens(features.documentSemanticTokens(ws, doc, span), doc.lines),
  };
}

/** CPU milliseconds (user + system, all threads: GC included) that `work` takes. */
function cpu<T>(work: () => T): { ms: number; value: T } {
  const before = process.cpuUsage();
  const value = work();
  const used = process.cpuUsage(before);
  return { ms: (used.user + used.system) / 1000, value };
}

const file = generateFile(LINES);
const today = (await load('model/periods.ts')).parseDate('2026-11-22');
const ws: Ws = service.createWorkspace({ root: '/bench', fs: new MemoryFileSystem(), today: () => today, files: [{ key: file.key, text: file.text }] });
const requests = requestsOf();
let doc = ws.getDocument(file.key)!;
// The first request of a document computes everything, in either build.
const first = cpu(() => requests.full(ws, doc));
for (let i = 0; i < 3; i++) requests.full(ws, doc);

// Titles of KPIs spread over the file: each edit types one character into the next one.
const titles = [...doc.text.matchAll(/^kpi \w+ "/gm)].map((m) => m.index + m[0].length);
const full: number[] = [];
const range: number[] = [];
const delta: number[] = [];
let bytes = 0;
const deltaBytes: number[] = [];
const typed: number[] = [];
for (let i = 0; i < EDITS; i++) {
  // Where the title is now: moved by the characters typed before it.
  const original = titles[(i * 7919) % titles.length]!;
  const offset = original + typed.filter((t) => t <= original).length;
  typed.push(original);
  const text = doc.text.slice(0, offset) + 'x' + doc.text.slice(offset);
  doc = ws.setDocument(file.key, text, i + 1, undefined, { start: offset, end: offset, newLength: 1 });
  ws.analyze();
  if (requests.delta && i % 2 === 1) {
    const d = cpu(() => requests.delta!(ws, doc));
    delta.push(d.ms);
    deltaBytes.push(JSON.stringify(d.value).length);
  } else {
    const f = cpu(() => requests.full(ws, doc));
    full.push(f.ms);
    bytes = JSON.stringify(f.value).length;
  }
  // A screenful (60 lines) around the edit, as VS Code asks for the visible range.
  const line = doc.lines.lineOf(offset);
  const span = { start: doc.lines.lineStart(Math.max(0, line - 30)), end: doc.lines.lineStart(line + 30) };
  range.push(cpu(() => requests.range(ws, doc, span)).ms);
}
const median = (values: number[]) => (values.length ? Number(percentile(values, 50).toFixed(2)) : null);
console.log(JSON.stringify({ source: SOURCE, lines: LINES, firstFull: Number(first.ms.toFixed(1)), full: median(full), range: median(range), delta: median(delta), fullJsonBytes: bytes, deltaJsonBytes: median(deltaBytes) }));
