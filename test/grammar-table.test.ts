// The grammar table (server/src/language/syntax/grammar.ts) against the
// places that cannot read it: the TextMate grammar, and the model's spans.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChunkResult, Span } from '../server/src/language/model/ast';
import { buildDocument } from '../server/src/language/model/build';
import { chunkSpans } from '../server/src/language/model/spans';
import { BLOCKS, DECLARATION_KINDS, DECLARATIONS, KEYWORD_WORDS, SITE_KINDS, type PropertySpec } from '../server/src/language/syntax/grammar';

const ROOT = path.resolve(import.meta.dirname, '..');

interface TmRule {
  match?: string;
  begin?: string;
}

function tmRepository(): Record<string, TmRule> {
  const grammar = JSON.parse(fs.readFileSync(path.join(ROOT, 'syntaxes', 'kpi.tmLanguage.json'), 'utf8')) as { repository: Record<string, TmRule> };
  return grammar.repository;
}

/** The words of the first `(a|b|c)` or `(?:a|b|c)` group of a TextMate pattern. */
function alternatives(pattern: string | undefined): Set<string> {
  const group = /\((?:\?:)?([a-z|]+)\)/.exec(pattern ?? '');
  return new Set(group ? group[1]!.split('|') : []);
}

const allProperties = (): PropertySpec[] => Object.values(BLOCKS).flat();

/** Every .kpi file of the examples and the test fixtures. */
function kpiFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) kpiFiles(file, out);
    else if (entry.name.endsWith('.kpi')) out.push(file);
  }
  return out;
}

/**
 * The spans of a chunk found the old way, by reflection: every object with
 * exactly the numbers `start` and `end` (a period's `start` and `end` are
 * days, not offsets). Kept here only, to prove the structural walk misses none.
 */
function reflectiveSpans(chunk: ChunkResult): Set<Span> {
  const found = new Set<Span>();
  const walk = (value: unknown, key: string): void => {
    if (typeof value !== 'object' || value === null || key === 'period') return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, '');
      return;
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 2 && typeof record['start'] === 'number' && typeof record['end'] === 'number') {
      found.add(record as unknown as Span);
      return;
    }
    for (const k of keys) walk(record[k], k);
  };
  walk(chunk.problems, '');
  walk(chunk.comments, '');
  walk(chunk.directives, '');
  walk(chunk.declaration, '');
  return found;
}

describe('the grammar table', () => {
  it('is known to the TextMate grammar: every declaration and property keyword, and every reference property', () => {
    const repo = tmRepository();
    const declarations = alternatives(repo['declaration']?.begin);
    assert.deepEqual([...declarations].sort(), [...DECLARATION_KINDS].sort());
    const keywords = alternatives(repo['property-keywords']?.match);
    const propertyWords = new Set(allProperties().map((p) => p.keyword));
    for (const word of KEYWORD_WORDS) {
      if (declarations.has(word) || word === 'in') continue;
      assert.ok(keywords.has(word), `'${word}' is missing from property-keywords in syntaxes/kpi.tmLanguage.json`);
    }
    for (const word of keywords) assert.ok(propertyWords.has(word) || KEYWORD_WORDS.includes(word), `property-keywords has '${word}', which the table does not`);
    const referenceLists = alternatives(repo['reference-list']?.match);
    for (const p of allProperties().filter((q) => q.value === 'refs')) {
      assert.ok(referenceLists.has(p.keyword), `'${p.keyword}' takes references but is missing from reference-list in syntaxes/kpi.tmLanguage.json`);
    }
  });

  it('gives each property rule one shape, and each reference property a site with the kinds it expects', () => {
    const byRule = new Map<string, PropertySpec>();
    for (const p of allProperties()) {
      const other = byRule.get(p.rule);
      if (other) assert.deepEqual([other.keyword, other.value, other.site, other.block], [p.keyword, p.value, p.site, p.block], `rule ${p.rule} is shared by two different properties`);
      byRule.set(p.rule, p);
      const isReference = p.value === 'refs' || p.value === 'ref' || p.value === 'keyResult';
      assert.equal(p.site !== undefined, isReference, `${p.label}: a site exactly when it holds references`);
      if (p.site && p.site !== 'next') assert.ok(SITE_KINDS[p.site].length > 0, `${p.label}: the kinds it expects`);
      if (p.value === 'word') assert.ok((p.words ?? []).length > 0, `${p.label}: its allowed words`);
    }
    for (const kind of DECLARATION_KINDS) assert.equal(DECLARATIONS[kind].kind, kind);
  });

  it('fills the model field of every property it parses', () => {
    const text = [
      'role R in F',
      'objective O "o" { owner R  perspective financial  due 2026-12-31  key result K  drives O2 }',
      'kpi K "k" { outcome "o"  owner R  step P.S  perspective customer  supports O  why "w"  levers "l"  unit "%"  target >= 1',
      '  thresholds { green >= 2  amber >= 1 }  frequency monthly  checkpoint weekly  indicator leading  visibility "v"  motivation "m"',
      '  depends K2  actual 2026-10 1  data "d.csv" }',
      'sop S "s" { objective "o"  owner R  trigger "t"  roles R  steps { "a" }  exception "a" -> "b"  tools "t"  review every 2 weeks  reviewed 2026-01-01 }',
      'process P "p" { owner R  step S "s" { owner R  sop S  next S } }',
      'scorecard C "c" { financial K  customer K  internal K  learning K }',
    ].join('\n');
    const model = buildDocument(text);
    assert.deepEqual(model.problems, []);
    for (const decl of model.declarations) {
      const spec = DECLARATIONS[decl.kind];
      if (!spec.block) continue;
      const fields = decl as unknown as Record<string, Record<string, unknown>>;
      const holder = spec.container ? fields[spec.container]! : (fields as Record<string, unknown>);
      for (const p of BLOCKS[spec.block]) {
        const value = holder[p.field];
        assert.ok(p.repeatable ? Array.isArray(value) && value.length > 0 : value !== undefined, `${decl.kind} ${p.label} fills '${p.field}'`);
      }
    }
  });

  it('finds every span of every chunk by the model shape, as a reflective walk does (fixtures and examples)', () => {
    const files = [...kpiFiles(path.join(ROOT, 'examples')), ...kpiFiles(path.join(ROOT, 'test', 'fixtures'))];
    assert.ok(files.length > 100, 'the fixtures and examples are found');
    let spans = 0;
    for (const file of files) {
      for (const chunk of buildDocument(fs.readFileSync(file, 'utf8')).chunks) {
        const structural = new Set(chunkSpans(chunk));
        const reflective = reflectiveSpans(chunk);
        const missed = [...reflective].filter((s) => !structural.has(s));
        assert.deepEqual(missed, [], `${path.relative(ROOT, file)}: spans the structural walk misses`);
        assert.equal(structural.size, reflective.size, `${path.relative(ROOT, file)}: the same spans`);
        spans += structural.size;
      }
    }
    assert.ok(spans > 1000);
  });

  it('names only keywords it has wherever the sources spell a keyword token out (Kw.x or Kw[\'x\'])', () => {
    // The keywords come from the table, so the compiler no longer knows their names: this test does.
    const unknown: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (entry.name.endsWith('.ts')) {
          const text = fs.readFileSync(file, 'utf8');
          for (const m of text.matchAll(/\bKw(?:\.([A-Za-z_]\w*)|\[['"]([^'"]+)['"]\])/g)) {
            const word = m[1] ?? m[2]!;
            if (!KEYWORD_WORDS.includes(word)) unknown.push(`${path.relative(ROOT, file)}: ${word}`);
          }
        }
      }
    };
    walk(path.join(ROOT, 'server', 'src'));
    assert.deepEqual(unknown, []);
  });
});
