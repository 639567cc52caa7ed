// Inputs for the fuzz tests (docs/fuzzing.md): the corpus (every fixture and
// example), grammar-aware mutators over it, and edits in offsets and in LSP
// positions. Everything is driven by a seeded PRNG, so a case is fully
// determined by (seed, case number) and can be replayed alone.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KEYWORD_WORDS } from '../../server/src/language/syntax/grammar';
import { findKpiFiles, keyFor } from '../../server/src/node/files';
import { random } from './random';

export const REPO = path.resolve(import.meta.dirname, '..', '..');
export const EXAMPLES = path.join(REPO, 'examples');
export const FIXTURES = path.join(REPO, 'test', 'fixtures');
/** Crash reproducers: `<name>.kpi`, and `<name>.before.kpi` when the crash needs an edit from that text. */
export const FUZZ_FIXTURES = path.join(FIXTURES, 'fuzz');

export type Rnd = () => number;

export function pick<T>(rnd: Rnd, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)]!;
}

/** An integer in [lo, hi]. */
export function int(rnd: Rnd, lo: number, hi: number): number {
  return lo + Math.floor(rnd() * (hi - lo + 1));
}

/** The PRNG of case `index` of a run with `seed`: any case can be regenerated without the ones before it. */
export function caseRandom(seed: number, index: number): Rnd {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x27d4eb2f);
  h ^= h >>> 15;
  return random(h >>> 0);
}

// ---- corpus -----------------------------------------------------------

export interface CorpusFile {
  /** Path relative to the repository, for messages. */
  name: string;
  text: string;
}

/** Every .kpi file under test/fixtures (the fuzz reproducers included) and examples/, sorted by name. */
export function loadCorpus(): CorpusFile[] {
  return [...findKpiFiles(FIXTURES), ...findKpiFiles(EXAMPLES)]
    .filter((file) => !file.endsWith('.before.kpi'))
    .map((file) => ({ name: keyFor(REPO, file), text: fs.readFileSync(file, 'utf8') }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The examples folder as key → text, data files included (the workspace most mutations edit). */
export function loadExamples(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(kpi|csv)$/.test(entry.name)) files.set(keyFor(EXAMPLES, full), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(EXAMPLES);
  return files;
}

// ---- tokens -----------------------------------------------------------

export type TokKind = 'space' | 'comment' | 'string' | 'period' | 'number' | 'word' | 'punct' | 'other';

export interface Tok {
  start: number;
  end: number;
  kind: TokKind;
}

// A lexer of our own, deliberately simpler than the product's: mutations need
// token boundaries, and must not depend on the code under test being right.
const TOKEN =
  /(\s+)|(\/\/[^\r\n]*|\/\*[\s\S]*?(?:\*\/|$))|("(?:[^"\\\r\n]|\\.)*"?)|(\d{4}-(?:W\d{1,2}|Q\d|\d{1,2}(?:-\d{1,2})?))|(-?\d+(?:\.\d+)?)|([A-Za-z_]\w*)|(->|>=|<=|[{}.,<>=])|([\s\S])/gy;
const KINDS: TokKind[] = ['space', 'comment', 'string', 'period', 'number', 'word', 'punct', 'other'];

export function tokenize(text: string): Tok[] {
  const tokens: Tok[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m && m[0].length > 0; m = TOKEN.exec(text)) {
    const group = m.findIndex((g, i) => i > 0 && g !== undefined);
    tokens.push({ start: m.index, end: m.index + m[0].length, kind: KINDS[group - 1]! });
  }
  return tokens;
}

// ---- mutators ---------------------------------------------------------

export interface MutationContext {
  /** Texts to splice from. */
  corpus: readonly string[];
  /** Scale of the big mutations (long names, deep nesting); 1 in the test suite, more in `npm run fuzz`. */
  scale: number;
}

export interface Mutator {
  name: string;
  apply(text: string, rnd: Rnd, context: MutationContext): string;
}

const PUNCTUATION = ['{', '}', ',', '.', '->', '>=', '<=', '>', '<', '=', '"', '/*', '*/', '//', '\\', '-'];
const VALUES = [
  '2026-10', '2026-W47', '2026-Q3', '2026', '2026-11-22', '2026-13', '2026-02-30', '2026-W54', '2026-Q5', '0000-00-00', '2026-1', '9999-99-99',
  '0', '-1', '3.5', '-0.0', '1e9', '"x"', '""', '"\\"', '"a\\"b"', '"%"', '"data/sellout.csv"', '"../x.csv"', '"/etc/passwd"',
];
const SPECIALS = ['\u0000', '\uFEFF', '\uFFFD', '\u2028', '\u0085', '\u00A0', '\u200B', '\u202E', 'é', 'e\u0301', '😀', '\ud800', '\udc00', '\t', '\r', '\r\n', '\f'];
const WORDS: readonly string[] = [...KEYWORD_WORDS, 'key result', 'review every 2 weeks', 'every', 'days', 'weeks', 'months', 'quarters', 'years'];

/** A token-ish piece of text: a keyword, punctuation, a value, a name, or an odd character. */
function randomPiece(rnd: Rnd, text: string): string {
  const roll = rnd();
  if (roll < 0.35) return pick(rnd, WORDS);
  if (roll < 0.55) return pick(rnd, PUNCTUATION);
  if (roll < 0.75) return pick(rnd, VALUES);
  if (roll < 0.9) {
    const names = text.match(/\b[A-Z]\w*\b/g);
    return names ? pick(rnd, names) : 'Name';
  }
  return pick(rnd, SPECIALS);
}

function nonSpace(text: string): Tok[] {
  return tokenize(text).filter((t) => t.kind !== 'space');
}

function replaceAt(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

function anyOffset(rnd: Rnd, text: string): number {
  return Math.floor(rnd() * (text.length + 1));
}

/** A token boundary, or any offset when the text has no tokens. */
function boundary(rnd: Rnd, text: string): number {
  const tokens = tokenize(text);
  if (tokens.length === 0) return anyOffset(rnd, text);
  const t = pick(rnd, tokens);
  return rnd() < 0.5 ? t.start : t.end;
}

const NAME_HEAD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_';
const NAME_TAIL = `${NAME_HEAD}0123456789`;

function randomName(rnd: Rnd, length: number): string {
  let name = pick(rnd, [...NAME_HEAD]);
  for (let i = 1; i < length; i++) name += NAME_TAIL[Math.floor(rnd() * NAME_TAIL.length)];
  return name;
}

/**
 * A declaration written from the grammar (LANGUAGE.md section 3) with random
 * properties and values, referring to names of `text` so that it links in:
 * duplicates, cycles, cross-function hand-offs, unknown references.
 */
export function generateDeclaration(rnd: Rnd, text: string): string {
  const names = [...new Set(text.match(/\b[A-Z]\w*\b/g) ?? [])];
  const ref = () => (names.length > 0 && rnd() < 0.8 ? pick(rnd, names) : randomName(rnd, int(rnd, 1, 8)));
  const refs = () => Array.from({ length: int(rnd, 1, 3) }, ref).join(', ');
  const str = () => pick(rnd, ['"Title"', '""', '"a \\"quoted\\" title"', '"unterminated', `"${randomName(rnd, 5)}"`]);
  const cmp = () => `${pick(rnd, ['>=', '<=', '>', '<', '='])} ${pick(rnd, ['20', '12', '0', '-5', '99.5', '1e3'])}`;
  const period = () => pick(rnd, VALUES.slice(0, 12));
  const name = rnd() < 0.3 ? ref() : randomName(rnd, int(rnd, 1, 10));
  const kind = pick(rnd, ['function', 'role', 'team', 'objective', 'process', 'kpi', 'sop', 'scorecard']);
  if (kind === 'function' || kind === 'role' || kind === 'team') return `${kind} ${name} ${str()}${rnd() < 0.6 ? ` in ${ref()}` : ''}\n`;
  const properties: Record<string, (() => string)[]> = {
    kpi: [
      () => `outcome ${str()}`, () => `owner ${refs()}`, () => `step ${ref()}.${ref()}`, () => `perspective ${pick(rnd, ['financial', 'customer', 'internal', 'learning', 'other'])}`,
      () => `supports ${refs()}`, () => `why ${str()}`, () => `levers ${str()}, ${str()}`, () => `unit ${str()}`, () => `target ${rnd() < 0.8 ? cmp() : str()}`,
      () => `thresholds { green ${cmp()}  amber ${cmp()} }`, () => `frequency ${pick(rnd, ['daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'hourly'])}`,
      () => `checkpoint ${pick(rnd, ['daily', 'weekly', 'monthly'])}`, () => `indicator ${pick(rnd, ['leading', 'lagging'])}`, () => `depends ${refs()}`,
      () => `actual ${period()} ${pick(rnd, ['14.5', '0', '-3', '99999999999999999999'])}`, () => `data ${pick(rnd, ['"data/sellout.csv"', '"missing.csv"', '"../up.csv"'])}`,
    ],
    process: [() => `owner ${ref()}`, () => `step ${randomName(rnd, 3)} ${str()} { owner ${ref()} ${rnd() < 0.5 ? `sop ${ref()}` : ''} next ${refs()} }`],
    sop: [
      () => `objective ${str()}`, () => `owner ${ref()}`, () => `trigger ${str()}`, () => `roles ${refs()}`, () => `steps { ${str()} ${str()} }`,
      () => `exception ${str()} -> ${str()}`, () => `tools ${str()}`, () => `review every ${int(rnd, 0, 12)} ${pick(rnd, ['days', 'week', 'months', 'quarter', 'years', 'fortnights'])}`,
      () => `reviewed ${period()}`,
    ],
    objective: [() => `owner ${ref()}`, () => `perspective ${pick(rnd, ['financial', 'customer'])}`, () => `due ${period()}`, () => `key result ${ref()}`],
    scorecard: [() => `${pick(rnd, ['financial', 'customer', 'internal', 'learning'])} ${refs()}`],
  };
  const lines = Array.from({ length: int(rnd, 0, 8) }, () => `  ${pick(rnd, properties[kind]!)()}`);
  return `${kind} ${name} ${rnd() < 0.7 ? str() : ''} {\n${lines.join('\n')}\n}\n`;
}

/** Bytes a UTF-8 decoder must reject: lone continuation bytes, overlong forms, encoded surrogates, cut sequences. */
const INVALID_UTF8: readonly number[][] = [[0xff], [0xfe], [0x80], [0xc0, 0x80], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]];

/** `text` with invalid UTF-8 bytes inserted, decoded the way the CLI and the server read files (U+FFFD for each bad sequence). */
export function withInvalidUtf8Bytes(text: string, rnd: Rnd): Buffer {
  let bytes = Buffer.from(text, 'utf8');
  for (let n = int(rnd, 1, 4); n > 0; n--) {
    const at = Math.floor(rnd() * (bytes.length + 1));
    bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(pick(rnd, INVALID_UTF8)), bytes.subarray(at)]);
  }
  return bytes;
}

function onToken(kinds: TokKind[], change: (image: string, rnd: Rnd, context: MutationContext) => string): Mutator['apply'] {
  return (text, rnd, context) => {
    const tokens = tokenize(text).filter((t) => kinds.includes(t.kind));
    if (tokens.length === 0) {
      const at = anyOffset(rnd, text);
      return replaceAt(text, at, at, change('', rnd, context));
    }
    const t = pick(rnd, tokens);
    return replaceAt(text, t.start, t.end, change(text.slice(t.start, t.end), rnd, context));
  };
}

export const MUTATORS: readonly Mutator[] = [
  {
    name: 'delete-token',
    apply: (text, rnd) => {
      const tokens = nonSpace(text);
      if (tokens.length === 0) return text;
      const t = pick(rnd, tokens);
      return replaceAt(text, t.start, t.end, '');
    },
  },
  {
    name: 'duplicate-token',
    apply: (text, rnd) => {
      const tokens = nonSpace(text);
      if (tokens.length === 0) return text;
      const t = pick(rnd, tokens);
      const image = text.slice(t.start, t.end);
      return replaceAt(text, t.end, t.end, pick(rnd, [' ', '', '\n']) + image);
    },
  },
  {
    name: 'swap-tokens',
    apply: (text, rnd) => {
      const tokens = nonSpace(text);
      if (tokens.length < 2) return text;
      // Neighbours most of the time (a typo), any two tokens otherwise.
      const i = Math.floor(rnd() * (tokens.length - 1));
      const [a, b] = [tokens[i]!, rnd() < 0.6 ? tokens[i + 1]! : tokens[int(rnd, i + 1, tokens.length - 1)]!];
      return text.slice(0, a.start) + text.slice(b.start, b.end) + text.slice(a.end, b.start) + text.slice(a.start, a.end) + text.slice(b.end);
    },
  },
  {
    name: 'insert-token',
    apply: (text, rnd) => {
      const at = boundary(rnd, text);
      const piece = randomPiece(rnd, text);
      return replaceAt(text, at, at, rnd() < 0.5 ? ` ${piece} ` : piece);
    },
  },
  {
    name: 'replace-token',
    apply: (text, rnd) => {
      const tokens = nonSpace(text);
      if (tokens.length === 0) return randomPiece(rnd, text);
      const t = pick(rnd, tokens);
      return replaceAt(text, t.start, t.end, randomPiece(rnd, text));
    },
  },
  { name: 'truncate', apply: (text, rnd) => text.slice(0, anyOffset(rnd, text)) },
  {
    name: 'delete-range',
    apply: (text, rnd) => {
      const at = anyOffset(rnd, text);
      return replaceAt(text, at, at + int(rnd, 1, 200), '');
    },
  },
  {
    name: 'move-range',
    apply: (text, rnd) => {
      const start = boundary(rnd, text);
      const end = Math.min(text.length, start + int(rnd, 1, 300));
      const cut = text.slice(start, end);
      const rest = replaceAt(text, start, end, '');
      const at = boundary(rnd, rest);
      return replaceAt(rest, at, at, rnd() < 0.3 ? cut + cut : cut);
    },
  },
  {
    name: 'splice',
    apply: (text, rnd, context) => {
      const other = pick(rnd, context.corpus);
      const start = anyOffset(rnd, other);
      const piece = other.slice(start, start + int(rnd, 1, 400));
      const at = boundary(rnd, text);
      return replaceAt(text, at, rnd() < 0.3 ? text.length : at, piece);
    },
  },
  {
    name: 'unbalanced-braces',
    apply: (text, rnd) => {
      const braces = nonSpace(text).filter((t) => text[t.start] === '{' || text[t.start] === '}');
      if (braces.length > 0 && rnd() < 0.5) {
        const t = pick(rnd, braces);
        return replaceAt(text, t.start, t.end, '');
      }
      const at = boundary(rnd, text);
      return replaceAt(text, at, at, pick(rnd, ['{', '}']).repeat(int(rnd, 1, 5)));
    },
  },
  {
    name: 'deep-nesting',
    apply: (text, rnd, context) => {
      const depth = int(rnd, 10, Math.round(2000 * context.scale));
      const at = boundary(rnd, text);
      const open = pick(rnd, ['{', '{ x ', 'steps { ', 'thresholds { green >= 1 ']).repeat(depth);
      return replaceAt(text, at, at, rnd() < 0.5 ? open + '}'.repeat(depth) : open);
    },
  },
  {
    name: 'huge-number',
    apply: onToken(['number', 'period'], (_image, rnd, context) =>
      pick(rnd, [
        '9'.repeat(int(rnd, 20, Math.round(400 * context.scale))),
        `-${'9'.repeat(310)}`,
        `0.${'0'.repeat(400)}1`,
        `${'1'.repeat(309)}.5`,
        '99999999999999999999-99',
        `${'9'.repeat(40)}-W99`,
        '-0',
        '00000000000000000000000000000000001',
      ]),
    ),
  },
  {
    name: 'long-identifier',
    apply: onToken(['word'], (image, rnd, context) => {
      const length = int(rnd, 100, Math.round(20_000 * context.scale));
      return rnd() < 0.5 ? (image || 'N').repeat(Math.ceil(length / Math.max(1, image.length))) : randomName(rnd, length);
    }),
  },
  {
    name: 'deep-comments',
    apply: (text, rnd, context) => {
      const depth = int(rnd, 2, Math.round(1000 * context.scale));
      const at = boundary(rnd, text);
      const forms = [
        '/*'.repeat(depth) + ' x ' + '*/'.repeat(depth),
        '/* '.repeat(depth),
        '*/'.repeat(depth),
        '/*/'.repeat(depth),
        '// '.repeat(depth) + '\n',
        '/* /* nested */ still comment? */',
        '// kpi-disable-next-line ' + Array.from({ length: depth }, () => pick(rnd, ['syntax-error', 'missing-owner', 'nonsense', ','])).join(', ') + '\n',
      ];
      return replaceAt(text, at, at, pick(rnd, forms));
    },
  },
  {
    name: 'unterminated',
    apply: (text, rnd) => {
      const tokens = tokenize(text).filter((t) => t.kind === 'string' || t.kind === 'comment');
      if (tokens.length > 0 && rnd() < 0.6) {
        const t = pick(rnd, tokens);
        // Drop the closing quote or the closing `*/`, or leave a lone backslash before the end.
        const image = text.slice(t.start, t.end);
        const open = image.endsWith('*/') ? image.slice(0, -2) : image.endsWith('"') ? `${image.slice(0, -1)}${pick(rnd, ['', '\\'])}` : image;
        return replaceAt(text, t.start, t.end, open);
      }
      const at = boundary(rnd, text);
      return replaceAt(text, at, at, pick(rnd, ['"', '/*', '"\\', '"abc\\"', '/**']));
    },
  },
  {
    name: 'invalid-utf8',
    apply: (text, rnd) => withInvalidUtf8Bytes(text, rnd).toString('utf8'),
  },
  {
    name: 'nul-bytes',
    apply: (text, rnd) => {
      const at = anyOffset(rnd, text);
      const run = '\u0000'.repeat(int(rnd, 1, 16));
      return rnd() < 0.5 ? replaceAt(text, at, at, run) : replaceAt(text, at, at + run.length, run);
    },
  },
  {
    name: 'line-ends',
    apply: (text, rnd) => {
      const form = pick(rnd, ['\r\n', '\r', '\n\r', '\u2028', '\u0085', '']);
      return text.replace(/\r\n|\r|\n/g, (eol) => (rnd() < 0.5 ? form : eol));
    },
  },
  {
    name: 'unicode',
    apply: (text, rnd) => {
      const at = rnd() < 0.1 ? 0 : boundary(rnd, text);
      return replaceAt(text, at, at, pick(rnd, SPECIALS).repeat(int(rnd, 1, 3)));
    },
  },
  {
    name: 'insert-declaration',
    apply: (text, rnd) => {
      // At a line start (a well-formed addition) or at any token boundary (a declaration cut into another).
      const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)];
      const at = rnd() < 0.7 ? pick(rnd, lineStarts) : boundary(rnd, text);
      return replaceAt(text, at, at, generateDeclaration(rnd, text));
    },
  },
  {
    name: 'rename',
    apply: (text, rnd) => {
      // Names of at most 100 characters: a regular expression of a 20,000-character name is too large.
      const names = [...new Set(text.match(/\b[A-Z][A-Za-z]{0,99}\b/g) ?? [])];
      if (names.length === 0) return text;
      const name = pick(rnd, names);
      const to = pick(rnd, [`${name}X`, names[0]!, 'kpi', 'owner', '']);
      return text.replace(new RegExp(`\\b${name}\\b`, 'g'), to);
    },
  },
  ...lineMutators(),
];

/** Line edits, as an editor makes them. */
function lineMutators(): Mutator[] {
  const lines = (text: string) => text.split('\n');
  return [
    {
      name: 'delete-line',
      apply: (text, rnd) => {
        const all = lines(text);
        all.splice(Math.floor(rnd() * all.length), int(rnd, 1, 3));
        return all.join('\n');
      },
    },
    {
      name: 'duplicate-line',
      apply: (text, rnd) => {
        const all = lines(text);
        const i = Math.floor(rnd() * all.length);
        all.splice(i, 0, all[i] ?? '');
        return all.join('\n');
      },
    },
  ];
}

export const MUTATOR_NAMES = MUTATORS.map((m) => m.name);

const byName = (name: string) => MUTATORS.find((m) => m.name === name)!;

/** Mutators of a `period,value` CSV data file: odd rows, quoting, headers, and the byte-level ones above. */
export const CSV_MUTATORS: readonly Mutator[] = [
  {
    name: 'csv-row',
    apply: (text, rnd) => {
      const cell = () => pick(rnd, [...VALUES, '"2026-10"', '"1,5"', '""', '=cmd|calc', ' ', '"unclosed', '1e400', `${'9'.repeat(400)}`]);
      const row = Array.from({ length: int(rnd, 1, 4) }, cell).join(',');
      const lines = text.split('\n');
      lines.splice(int(rnd, 0, lines.length), 0, row);
      return lines.join('\n');
    },
  },
  {
    name: 'csv-header',
    apply: (text, rnd) => text.replace(/^[^\r\n]*/, pick(rnd, ['', 'period', 'value,period', 'PERIOD , Value', '\uFEFFperiod,value', 'period,value,extra', '"period","value"'])),
  },
  ...['delete-line', 'duplicate-line', 'swap-tokens', 'replace-token', 'truncate', 'delete-range', 'huge-number', 'invalid-utf8', 'nul-bytes', 'line-ends', 'unicode'].map(byName),
];

/** Applies `count` random mutators in turn; returns every intermediate text (the first is `text`) and the mutators' names. */
export function mutate(text: string, rnd: Rnd, context: MutationContext, count: number): { texts: string[]; names: string[] } {
  const texts = [text];
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const mutator = pick(rnd, MUTATORS);
    texts.push(mutator.apply(texts[texts.length - 1]!, rnd, context));
    names.push(mutator.name);
  }
  return { texts, names };
}

// ---- edits --------------------------------------------------------------

/** A replacement of [start, end) of a text by `text`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

export function applyEdit(text: string, edit: Edit): string {
  return text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}

/**
 * The one edit that turns `before` into `after` (common prefix and suffix
 * kept). Its ends never fall between the `\r` and `\n` of a line end, which an
 * LSP position cannot express.
 */
export function diffEdit(before: string, after: string): Edit {
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  const splitsLineEnd = (text: string, at: number) => text[at - 1] === '\r' && text[at] === '\n';
  while (prefix > 0 && (splitsLineEnd(before, prefix) || splitsLineEnd(after, prefix))) prefix--;
  while (suffix > 0 && (splitsLineEnd(before, before.length - suffix) || splitsLineEnd(after, after.length - suffix))) suffix--;
  return { start: prefix, end: before.length - suffix, text: after.slice(prefix, after.length - suffix) };
}

// ---- LSP positions ------------------------------------------------------

export interface Position {
  line: number;
  character: number;
}

/**
 * Where each line starts, with LSP's line ends (`\r\n`, `\r`, `\n`). Written
 * here rather than taken from the server's LineIndex: the fuzz tests check
 * that index's output.
 */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (const m of text.matchAll(/\r\n|\r|\n/g)) starts.push(m.index + m[0].length);
  return starts;
}

/** The length of each line, its line end excluded. */
export function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((line) => line.length);
}

export function positionAt(starts: readonly number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo]! };
}

/** Whether `range` lies inside a text with these line lengths. */
export function rangeInside(range: { start: Position; end: Position }, lengths: readonly number[]): boolean {
  const inside = (p: Position) => Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < lengths.length && p.character >= 0 && p.character <= lengths[p.line]!;
  const ordered = range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
  return inside(range.start) && inside(range.end) && ordered;
}

/** An edit as an LSP content change of `before`. */
export function toContentChange(before: string, edit: Edit): { range: { start: Position; end: Position }; text: string } {
  const starts = lineStarts(before);
  return { range: { start: positionAt(starts, edit.start), end: positionAt(starts, edit.end) }, text: edit.text };
}
