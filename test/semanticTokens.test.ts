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
import { parseDate } from '../server/src/language/model/periods';
import { createWorkspace, type Workspace } from '../server/src/language/service';
import { KEYWORD_WORDS } from '../server/src/language/syntax/grammar';
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
