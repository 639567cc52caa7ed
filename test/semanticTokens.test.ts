// Semantic tokens: data-driven cases (a workspace's texts and the tokens of one
// document, written `text type[.declaration]` in offset order), then the
// invariants every document must keep, broken ones included.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  encodeSemanticTokens,
  KIND_TOKEN_TYPE,
  SEMANTIC_TOKEN_MODIFIERS,
  SEMANTIC_TOKEN_TYPES,
  semanticTokens,
  type SemanticToken,
} from '../server/src/language/features/semanticTokens';
import { SemanticTokenCache } from '../server/src/language/features/semanticTokenCache';
import { parseDate } from '../server/src/language/model/periods';
import { createWorkspace, type Workspace } from '../server/src/language/service';
import { KEYWORD_WORDS } from '../server/src/language/syntax/grammar';
import type { TextChange } from '../server/src/language/text';
import { forEachRef } from '../server/src/language/workspace/symbols';
import { MemoryFileSystem } from './support/memory-fs';
import { random } from './support/random';

const TODAY = parseDate('2026-11-22')!;
const EXAMPLES = path.join(import.meta.dirname, '..', 'examples');


function workspaceOf(files: Record<string, string>): Workspace {
  return createWorkspace({
    root: '/ws',
    fs: new MemoryFileSystem(),
    today: () => TODAY,
    files: Object.entries(files).map(([key, text]) => ({ key, path: `/ws/${key}`, text })),
  });
}

function render(workspace: Workspace, key: string, tokens = semanticTokens(workspace, key)): string[] {
  const text = workspace.getDocument(key)!.text;
  return tokens.map((t) => {
    const mods = SEMANTIC_TOKEN_MODIFIERS.filter((_, i) => t.modifiers & (1 << i));
    return [text.slice(t.start, t.start + t.length), [SEMANTIC_TOKEN_TYPES[t.type], ...mods].join('.')].join(' ');
  });
}

/** The properties every token list must have. */
function assertWellFormed(text: string, tokens: SemanticToken[], label: string): void {
  let end = 0;
  for (const t of tokens) {
    const at = `${label} @${t.start} ${JSON.stringify(text.slice(t.start, t.start + t.length))}`;
    assert.ok(t.length > 0, `empty token ${at}`);
    assert.ok(t.start >= end, `overlapping or unsorted token ${at}`);
    assert.ok(t.start + t.length <= text.length, `token past the end ${at}`);
    assert.ok(!/[\r\n]/.test(text.slice(t.start, t.start + t.length)), `token spans lines ${at}`);
    assert.ok(t.type >= 0 && t.type < SEMANTIC_TOKEN_TYPES.length, `bad type ${at}`);
    assert.ok(t.modifiers >= 0 && t.modifiers < 1 << SEMANTIC_TOKEN_MODIFIERS.length, `bad modifiers ${at}`);
    if (SEMANTIC_TOKEN_TYPES[t.type] === 'keyword') {
      assert.ok((KEYWORD_WORDS as readonly string[]).includes(text.slice(t.start, t.start + t.length)), `keyword token that is no keyword ${at}`);
    }
    end = t.start + t.length;
  }
}

interface Case {
  name: string;
  files: Record<string, string>;
  /** The document whose tokens are checked; the first file by default. */
  key?: string;
  expect: string[];
}

const CASES: Case[] = [
  {
    name: 'every kind of declaration: its keyword and its name, typed by kind, with the declaration modifier',
    files: {
      'a.kpi': [
        'function Sales',
        'role Boss in Sales',
        'team Crew in Sales',
        'objective Grow {}',
        'process Flow { step First {} }',
        'kpi Growth {}',
        'sop Pitch {}',
        'scorecard Board {}',
      ].join('\n'),
    },
    expect: [
      'function keyword', 'Sales namespace.declaration',
      'role keyword', 'Boss class.declaration', 'in keyword', 'Sales namespace',
      'team keyword', 'Crew struct.declaration', 'in keyword', 'Sales namespace',
      'objective keyword', 'Grow interface.declaration',
      'process keyword', 'Flow type.declaration', 'step keyword', 'First method.declaration',
      'kpi keyword', 'Growth variable.declaration',
      'sop keyword', 'Pitch function.declaration',
      'scorecard keyword', 'Board enum.declaration',
    ],
  },
  {
    name: 'a reference to a role is typed as a role, to a team as a team, in another file',
    files: {
      'sales.kpi': 'kpi K { owner Boss }\nsop S { owner Boss  roles Boss, Crew }',
      'org.kpi': 'role Boss\nteam Crew',
    },
    expect: [
      'kpi keyword', 'K variable.declaration', 'owner keyword', 'Boss class',
      'sop keyword', 'S function.declaration', 'owner keyword', 'Boss class', 'roles keyword', 'Boss class', 'Crew struct',
    ],
  },
  {
    name: 'a reference to a kpi in a scorecard is typed as a kpi; a wrong kind is typed by what it resolves to',
    files: { 'a.kpi': 'kpi Growth {}\nrole Boss\nscorecard Board {\n  financial Growth, Boss\n  customer Growth\n}' },
    expect: [
      'kpi keyword', 'Growth variable.declaration',
      'role keyword', 'Boss class.declaration',
      'scorecard keyword', 'Board enum.declaration',
      'financial keyword', 'Growth variable', 'Boss class',
      'customer keyword', 'Growth variable',
    ],
  },
  {
    name: 'Process.Step is two tokens: the process and the step; an unknown step gets no token',
    files: { 'a.kpi': 'process Flow { step First { next Second }  step Second {} }\nkpi K { step Flow.First, Flow . Second, Flow.Missing }' },
    expect: [
      'process keyword', 'Flow type.declaration',
      'step keyword', 'First method.declaration', 'next keyword', 'Second method',
      'step keyword', 'Second method.declaration',
      'kpi keyword', 'K variable.declaration', 'step keyword',
      'Flow type', 'First method', 'Flow type', 'Second method', 'Flow type',
    ],
  },
  {
    name: 'other references: in, supports, depends, key result, a step sop',
    files: {
      'a.kpi': [
        'function Sales',
        'objective Grow { key result Growth }',
        'kpi Growth { supports Grow  depends Other }',
        'kpi Other {}',
        'sop Pitch {}',
        'process Flow { step First { sop Pitch } }',
      ].join('\n'),
    },
    expect: [
      'function keyword', 'Sales namespace.declaration',
      'objective keyword', 'Grow interface.declaration', 'key keyword', 'result keyword', 'Growth variable',
      'kpi keyword', 'Growth variable.declaration', 'supports keyword', 'Grow interface', 'depends keyword', 'Other variable',
      'kpi keyword', 'Other variable.declaration',
      'sop keyword', 'Pitch function.declaration',
      'process keyword', 'Flow type.declaration', 'step keyword', 'First method.declaration', 'sop keyword', 'Pitch function',
    ],
  },
  {
    name: 'unresolved references get no token, even when they are keywords',
    files: { 'a.kpi': 'kpi K { owner Nobody  step Nowhere.Step, P.owner, due.step  depends Ghost  supports owner }\nprocess P { step A { next Missing, next } }' },
    expect: [
      'kpi keyword', 'K variable.declaration', 'owner keyword', 'step keyword', 'P type', 'depends keyword', 'supports keyword',
      'process keyword', 'P type.declaration', 'step keyword', 'A method.declaration', 'next keyword',
    ],
  },
  {
    name: 'a name declared twice: references take the kind of the first in workspace order (files by path)',
    files: {
      'c.kpi': 'scorecard Board { financial Twice }',
      'b.kpi': 'kpi Twice {}',
      'a.kpi': 'role Twice',
    },
    key: 'c.kpi',
    expect: ['scorecard keyword', 'Board enum.declaration', 'financial keyword', 'Twice class'],
  },
  {
    name: 'soft keywords used as names are typed as names, not keywords',
    files: {
      'a.kpi': [
        'role owner',
        'function in',
        'role steps in in',
        'process step {',
        '  owner owner',
        '  step next { owner owner  next step }',
        '  step step { owner steps }',
        '}',
        'kpi due { owner owner  step step.next  unit data  perspective financial  depends due }',
        'scorecard target { financial due }',
      ].join('\n'),
    },
    expect: [
      'role keyword', 'owner class.declaration',
      'function keyword', 'in namespace.declaration',
      'role keyword', 'steps class.declaration', 'in keyword', 'in namespace',
      'process keyword', 'step type.declaration',
      'owner keyword', 'owner class',
      'step keyword', 'next method.declaration', 'owner keyword', 'owner class', 'next keyword', 'step method',
      'step keyword', 'step method.declaration', 'owner keyword', 'steps class',
      'kpi keyword', 'due variable.declaration', 'owner keyword', 'owner class', 'step keyword', 'step type', 'next method',
      'unit keyword', 'data enumMember', 'perspective keyword', 'financial enumMember', 'depends keyword', 'due variable',
      'scorecard keyword', 'target enum.declaration', 'financial keyword', 'due variable',
    ],
  },
  {
    name: 'values: strings, numbers, comparators, bare words, periods (a year after actual too), the arrow',
    files: {
      'a.kpi': [
        'kpi K "Title" {',
        '  target >= 20  thresholds { green > 20  amber <= 12 }  target = -1.5  target < 3',
        '  frequency monthly  checkpoint weekly  indicator lagging  unit "%"',
        '  actual 2026 5  actual 2026-W05 1  actual 2026-Q3 2  actual 2026-10 3  actual 2026-10-01 4',
        '}',
        'sop S { review every 2 weeks  reviewed 2026-11-10  exception "a \\"b\\"" -> "c" }',
        'objective O { due 2026-12-31  perspective customer }',
      ].join('\n'),
    },
    expect: [
      'kpi keyword', 'K variable.declaration', '"Title" string',
      'target keyword', '>= operator', '20 number', 'thresholds keyword', 'green keyword', '> operator', '20 number', 'amber keyword', '<= operator', '12 number',
      'target keyword', '= operator', '-1.5 number', 'target keyword', '< operator', '3 number',
      'frequency keyword', 'monthly enumMember', 'checkpoint keyword', 'weekly enumMember', 'indicator keyword', 'lagging enumMember', 'unit keyword', '"%" string',
      'actual keyword', '2026 period', '5 number', 'actual keyword', '2026-W05 period', '1 number', 'actual keyword', '2026-Q3 period', '2 number',
      'actual keyword', '2026-10 period', '3 number', 'actual keyword', '2026-10-01 period', '4 number',
      'sop keyword', 'S function.declaration', 'review keyword', 'every keyword', '2 number', 'weeks enumMember',
      'reviewed keyword', '2026-11-10 period', 'exception keyword', '"a \\"b\\"" string', '-> operator', '"c" string',
      'objective keyword', 'O interface.declaration', 'due keyword', '2026-12-31 period', 'perspective keyword', 'customer enumMember',
    ],
  },
  {
    name: 'comments: one token per line; a disable comment shows its directive and codes',
    files: {
      'a.kpi': [
        '// a comment',
        '/* a block',
        '   comment */ role R // trailing',
        '// kpi-disable-next-line unused-declaration, missing-owner',
        'role Q',
        '// #region',
      ].join('\n'),
    },
    expect: [
      '// a comment comment',
      '/* a block comment', '   comment */ comment', 'role keyword', 'R class.declaration', '// trailing comment',
      '// comment', 'kpi-disable-next-line macro', 'unused-declaration enumMember', 'missing-owner enumMember',
      'role keyword', 'Q class.declaration',
      '// #region comment',
    ],
  },
  {
    name: 'a broken document: a missing brace, an unterminated string, stray characters',
    files: {
      'a.kpi': ['kpi K { owner Boss', '  outcome "no end', '  target >= ', 'role Boss ? @', 'kpi { owner }', '}}'].join('\n'),
    },
    expect: [
      'kpi keyword', 'K variable.declaration', 'owner keyword', 'Boss class',
      'outcome keyword', '"no end string', 'target keyword', '>= operator',
      'role keyword', 'Boss class.declaration',
      'kpi keyword', 'owner keyword',
    ],
  },
];

describe('semantic tokens', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const workspace = workspaceOf(c.files);
      const key = c.key ?? Object.keys(c.files)[0]!;
      const tokens = semanticTokens(workspace, key);
      assertWellFormed(workspace.getDocument(key)!.text, tokens, c.name);
      assert.deepEqual(render(workspace, key, tokens), c.expect);
    });
  }

  it('the legend: every declaration kind and steps have their own type; modifiers include declaration', () => {
    const types = Object.values(KIND_TOKEN_TYPE);
    assert.equal(new Set(types).size, types.length);
    for (const t of types) assert.ok((SEMANTIC_TOKEN_TYPES as readonly string[]).includes(t));
    assert.equal(new Set(SEMANTIC_TOKEN_TYPES).size, SEMANTIC_TOKEN_TYPES.length);
    assert.equal(SEMANTIC_TOKEN_MODIFIERS[0], 'declaration');
  });

  it('an unknown document has no tokens', () => {
    assert.deepEqual(semanticTokens(workspaceOf({ 'a.kpi': 'role R' }), 'missing.kpi'), []);
  });

  it('a range gives only the tokens that overlap it', () => {
    const text = 'role A\nrole B\nrole C';
    const workspace = workspaceOf({ 'a.kpi': text });
    const start = text.indexOf('B');
    assert.deepEqual(render(workspace, 'a.kpi', semanticTokens(workspace, 'a.kpi', { start, end: text.indexOf('role C') + 2 })), [
      'B class.declaration',
      'role keyword',
    ]);
  });

  it('encodes as LSP relative positions [deltaLine, deltaChar, length, type, modifiers]', () => {
    const text = 'role A\n  role B // x';
    const workspace = workspaceOf({ 'a.kpi': text });
    const doc = workspace.getDocument('a.kpi')!;
    const kw = SEMANTIC_TOKEN_TYPES.indexOf('keyword');
    const cls = SEMANTIC_TOKEN_TYPES.indexOf('class');
    const comment = SEMANTIC_TOKEN_TYPES.indexOf('comment');
    assert.deepEqual(encodeSemanticTokens(semanticTokens(workspace, 'a.kpi'), doc.lines), [
      0, 0, 4, kw, 0,
      0, 5, 1, cls, 1,
      1, 2, 4, kw, 0,
      0, 5, 1, cls, 1,
      0, 2, 4, comment, 0,
    ]);
  });

  it('CRLF and CR line ends give the same lines, columns and texts as LF', () => {
    const lf = [
      '/* a block',
      '   comment */',
      'role Boss // trailing',
      'kpi K "T" {',
      '  owner Boss  actual 2026-10 5',
      '  // kpi-disable-next-line missing-target',
      '}',
      '',
    ].join('\n');
    const base = workspaceOf({ 'a.kpi': lf });
    const expected = encodeSemanticTokens(semanticTokens(base, 'a.kpi'), base.getDocument('a.kpi')!.lines);
    const expectedTexts = render(base, 'a.kpi');
    for (const eol of ['\r\n', '\r']) {
      const workspace = workspaceOf({ 'a.kpi': lf.replaceAll('\n', eol) });
      const tokens = semanticTokens(workspace, 'a.kpi');
      assertWellFormed(workspace.getDocument('a.kpi')!.text, tokens, JSON.stringify(eol));
      assert.deepEqual(render(workspace, 'a.kpi', tokens), expectedTexts);
      assert.deepEqual(encodeSemanticTokens(tokens, workspace.getDocument('a.kpi')!.lines), expected);
    }
  });

  describe('over the examples', () => {
    const files: Record<string, string> = {};
    for (const name of fs.readdirSync(EXAMPLES)) if (name.endsWith('.kpi')) files[name] = fs.readFileSync(path.join(EXAMPLES, name), 'utf8');

    it('every declaration name and every resolved reference has its token', () => {
      const workspace = workspaceOf(files);
      for (const doc of workspace.documents) {
        const tokens = semanticTokens(workspace, doc.key);
        assertWellFormed(doc.text, tokens, doc.key);
        const at = new Map(tokens.map((t) => [t.start, t]));
        for (const decl of doc.model.declarations) {
          const name = at.get(decl.name.span.start);
          assert.equal(name && SEMANTIC_TOKEN_TYPES[name.type], KIND_TOKEN_TYPE[decl.kind], `${doc.key}: ${decl.name.text}`);
          assert.equal(name!.modifiers, 1);
          forEachRef(decl, ({ ref, site }) => {
            if (site === 'next') return;
            const target = workspace.declarations(ref.name)[0];
            if (!target) return;
            const token = at.get(ref.span.start);
            assert.equal(token && SEMANTIC_TOKEN_TYPES[token.type], KIND_TOKEN_TYPE[target.decl.kind], `${doc.key}: reference ${ref.name}`);
          });
        }
      }
    });

    it('random edits never throw and keep tokens sorted, disjoint and on one line', () => {
      const rnd = random(20261122);
      const pieces = ['}', '{', 'owner', 'kpi X', 'step', '"', '/*', '*/', '//', '>= 3', 'actual 2026-10 1', '.', ',', '\r\n', '\n', 'Flow.', 'in'];
      const keys = Object.keys(files);
      const workspace = workspaceOf(files);
      for (let i = 0; i < 150; i++) {
        const key = keys[Math.floor(rnd() * keys.length)]!;
        let text = files[key]!;
        for (let e = 0; e < 3; e++) {
          const at = Math.floor(rnd() * (text.length + 1));
          text = rnd() < 0.5 ? text.slice(0, at) + pieces[Math.floor(rnd() * pieces.length)]! + text.slice(at) : text.slice(0, at) + text.slice(at + Math.floor(rnd() * 40));
        }
        workspace.setDocument(key, text);
        assertWellFormed(text, semanticTokens(workspace, key), `edit ${i} of ${key}`);
      }
    });
  });
});

/** The edits of the kept-tokens test: each gives the new text and, when an editor would know it, the changed range. */
type TokenEdit = (text: string, rnd: () => number) => { text: string; change?: TextChange };

const replaceAt = (text: string, start: number, end: number, insert: string) => ({ text: text.slice(0, start) + insert + text.slice(end), change: { start, end, newLength: insert.length } });
const pick = <T>(list: readonly T[], rnd: () => number): T | undefined => list[Math.floor(rnd() * list.length)];

const TOKEN_EDITS: TokenEdit[] = [
  // Type one character, or a piece of the language, anywhere.
  (text, rnd) => {
    const at = Math.floor(rnd() * (text.length + 1));
    const piece = pick(['x', ' ', '}', '{', '"', '/*', '*/', '//', '\n', '\r\n', 'kpi X', 'role Y', 'step', 'Flow.', 'actual 2026-10', '2026-1', 'owner', '.', ','], rnd)!;
    return replaceAt(text, at, at, piece);
  },
  // Delete a few characters.
  (text, rnd) => {
    const at = Math.floor(rnd() * text.length);
    return replaceAt(text, at, Math.min(text.length, at + 1 + Math.floor(rnd() * 12)), '');
  },
  // Join a line to the one before it, without a space: tokens meet at a declaration's start (`2026-10kpi`).
  (text, rnd) => {
    const breaks = [...text.matchAll(/\r?\n[ \t]*/g)];
    const m = pick(breaks, rnd);
    return m ? replaceAt(text, m.index, m.index + m[0].length, '') : { text };
  },
  // Rename a declared name where it is declared: its references elsewhere resolve no more (or to another).
  (text, rnd) => {
    const m = pick([...text.matchAll(/\b(?:role|team|function|kpi|process|sop|objective|scorecard) ([A-Za-z_]\w*)/g)], rnd);
    if (!m) return { text };
    const at = m.index + m[0].length - m[1]!.length;
    return replaceAt(text, at, at + m[1]!.length, `${m[1]}${rnd() < 0.5 ? 'X' : ''}`);
  },
  // Change what kind a declaration is: its references elsewhere change type.
  (text, rnd) => {
    const m = pick([...text.matchAll(/^(role|team)\b/gm)], rnd);
    return m ? replaceAt(text, m.index, m.index + m[1]!.length, m[1] === 'role' ? 'team' : 'role') : { text };
  },
  // Rename a step: `Process.Step` elsewhere loses (or finds) its step.
  (text, rnd) => {
    const m = pick([...text.matchAll(/\bstep ([A-Za-z_]\w*)/g)], rnd);
    if (!m) return { text };
    const at = m.index + m[0].length - m[1]!.length;
    return replaceAt(text, at, at + m[1]!.length, `${m[1]}Y`);
  },
];

describe('kept semantic tokens (the server\'s cache)', () => {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(EXAMPLES)) if (name.endsWith('.kpi')) files[name] = fs.readFileSync(path.join(EXAMPLES, name), 'utf8');

  /** The tokens of `key` computed from scratch, in a workspace that never saw an edit. */
  const fromScratch = (texts: Record<string, string>, key: string, range?: { start: number; end: number }) => {
    const fresh = workspaceOf(texts);
    return encodeSemanticTokens(semanticTokens(fresh, key, range), fresh.getDocument(key)!.lines);
  };

  for (const seed of [1, 2, 3]) {
    it(`after random edits equal tokens computed from scratch: full, delta and range requests (seed ${seed})`, () => {
      const rnd = random(seed);
      const texts = { ...files };
      const workspace = workspaceOf(texts);
      const cache = new SemanticTokenCache(workspace);
      // What a client holds per document: the last result, and the data it rebuilt from deltas.
      const held = new Map<string, { resultId: string; data: number[] }>();
      for (let step = 0; step < 120; step++) {
        const keys = Object.keys(texts);
        const roll = rnd();
        let what: string;
        if (roll < 0.04 && keys.length > 1) {
          const key = pick(keys, rnd)!;
          delete texts[key];
          workspace.removeDocument(key);
          held.delete(key);
          what = `remove ${key}`;
        } else if (roll < 0.08) {
          // A new file that declares names the others use, or takes their kind.
          const key = `${pick(['0', 'm', 'z'], rnd)}${step}.kpi`;
          texts[key] = pick(['team SalesDirector\n', 'process Other { step A {} }\nrole Flow\n', 'kpi SellOutGrowth {}\n// a note\n'], rnd)!;
          workspace.setDocument(key, texts[key], step, `/ws/${key}`);
          what = `add ${key}`;
        } else {
          const key = pick(keys, rnd)!;
          const { text, change } = pick(TOKEN_EDITS, rnd)!(texts[key]!, rnd);
          texts[key] = text;
          // Half the edits come with the range an editor would send.
          workspace.setDocument(key, text, step, `/ws/${key}`, rnd() < 0.5 ? change : undefined);
          what = `edit ${key}`;
        }
        if (rnd() < 0.5) workspace.analyze();
        // Ask for one or two documents, as an editor asks for the visible ones.
        for (const key of new Set([pick(Object.keys(texts), rnd)!, pick(Object.keys(texts), rnd)!])) {
          const doc = workspace.getDocument(key)!;
          const where = `seed ${seed}, step ${step} (${what}), tokens of ${key}`;
          const expected = fromScratch(texts, key);
          const previous = held.get(key);
          if (previous && rnd() < 0.7) {
            const result = cache.delta(doc, previous.resultId);
            let data: number[];
            if ('edits' in result) {
              data = [...previous.data];
              for (const edit of [...result.edits].reverse()) data.splice(edit.start, edit.deleteCount, ...edit.data);
            } else data = result.data;
            assert.deepEqual(data, expected, `${where}: the data rebuilt from a delta`);
            held.set(key, { resultId: result.resultId, data });
          } else {
            const result = cache.full(doc);
            assert.deepEqual(result.data, expected, `${where}: a full request`);
            held.set(key, result);
          }
          const a = Math.floor(rnd() * (doc.text.length + 1));
          const b = Math.min(doc.text.length, a + Math.floor(rnd() * 400));
          assert.deepEqual(cache.range(doc, { start: a, end: b }), fromScratch(texts, key, { start: a, end: b }), `${where}: the range ${a}-${b}`);
        }
      }
    });
  }

  it('a declaration computed alone lexes as in the whole text, up to the next declaration\'s first token', () => {
    // `2026-10` is a month only when no letter follows: here `kpi` does, and it starts the next declaration.
    const text = 'role A 2026-10kpi K { owner B }\n';
    const workspace = workspaceOf({ 'a.kpi': text });
    const cache = new SemanticTokenCache(workspace);
    cache.full(workspace.getDocument('a.kpi')!);
    // Only the first declaration is computed again (the kpi names no name it declares).
    const edited = text.replace('role A', 'role AB');
    const doc = workspace.setDocument('a.kpi', edited, 1, '/ws/a.kpi', { start: 6, end: 6, newLength: 1 });
    assert.deepEqual(cache.full(doc).data, fromScratch({ 'a.kpi': edited }, 'a.kpi'));
    assert.deepEqual(render(workspace, 'a.kpi').slice(0, 4), ['role keyword', 'AB class.declaration', '2026 number', '-10 number']);
  });

  it('a delta request against a result the cache does not hold gets the full tokens', () => {
    const workspace = workspaceOf({ 'a.kpi': 'role A\nkpi K { owner A }' });
    const cache = new SemanticTokenCache(workspace);
    const doc = workspace.getDocument('a.kpi')!;
    const result = cache.delta(doc, 'never given');
    assert.ok('data' in result);
    assert.deepEqual(result.data, fromScratch({ 'a.kpi': doc.text }, 'a.kpi'));
  });

  it('an edit in one declaration gives a delta of that declaration\'s tokens only', () => {
    const text = 'role A\nrole B\nkpi K "Title" { owner A }\nrole C\n';
    const workspace = workspaceOf({ 'a.kpi': text });
    const cache = new SemanticTokenCache(workspace);
    const first = cache.full(workspace.getDocument('a.kpi')!);
    // A longer title: two integers change, the length of the title (the 7th token) and where `owner` after it starts.
    const at = text.indexOf('Title');
    const doc = workspace.setDocument('a.kpi', `${text.slice(0, at)}x${text.slice(at)}`, 1, '/ws/a.kpi', { start: at, end: at, newLength: 1 });
    const result = cache.delta(doc, first.resultId);
    assert.ok('edits' in result);
    const titleLength = 6 * 5 + 2;
    const [length, type, modifiers, ownerLine, ownerChar] = first.data.slice(titleLength, titleLength + 5) as [number, number, number, number, number];
    assert.equal(length, '"Title"'.length);
    assert.deepEqual(result.edits, [{ start: titleLength, deleteCount: 5, data: [length + 1, type, modifiers, ownerLine, ownerChar + 1] }]);
  });

  it('a reference changes type when the declaration it names changes kind in another file, and only then', () => {
    const workspace = workspaceOf({ 'a.kpi': 'kpi K { owner Boss }', 'b.kpi': 'role Boss' });
    const cache = new SemanticTokenCache(workspace);
    const doc = workspace.getDocument('a.kpi')!;
    const before = cache.full(doc);
    workspace.setDocument('b.kpi', 'team Boss', 1, '/ws/b.kpi');
    const after = cache.delta(doc, before.resultId);
    const typeOf = (data: number[]) => SEMANTIC_TOKEN_TYPES[data[data.length - 2]!];
    assert.ok('edits' in after);
    assert.equal(typeOf(before.data), 'class');
    assert.deepEqual(after.edits, [{ start: before.data.length - 2, deleteCount: 1, data: [SEMANTIC_TOKEN_TYPES.indexOf('struct')] }]);
    workspace.setDocument('b.kpi', 'team Boss // the same team', 2, '/ws/b.kpi');
    assert.deepEqual(cache.delta(doc, after.resultId), { resultId: String(Number(after.resultId) + 1), edits: [] });
  });
});

