// The formatter (docs/formatting.md): golden files, idempotence, token and
// comment preservation, unchanged diagnostics, range formatting, syntax
// errors, a 10,000-line file, and `kpi format` on the command line (speed is
// measured by the benchmark, not here).
//
// Golden files: test/fixtures/format/<case>.kpi is the input and
// <case>.formatted.kpi the expected output. `UPDATE_GOLDEN=1 npx mocha
// test/format.test.ts` rewrites the expected files from the current formatter.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatDocument, formatRange, formatWithReason, type TextEdit } from '../server/src/language/features/format';
import { parseDate } from '../server/src/language/model/periods';
import { createWorkspace, type InputFile } from '../server/src/language/service';
import { lex } from '../server/src/language/syntax/lexer';
import { findKpiFiles, keyFor, nodeFileSystem } from '../server/src/node/files';
import { loadFixtures } from './support/fixtures';
import { assertBuilt, CLI, REPO, removeWorkspace, tempWorkspace } from './support/lsp';

const FIXTURES = path.join(REPO, 'test', 'fixtures');
const GOLDEN = path.join(FIXTURES, 'format');
const EXAMPLES = path.join(REPO, 'examples');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

const read = (file: string) => fs.readFileSync(file, 'utf8');
const rel = (file: string) => path.relative(REPO, file).split(path.sep).join('/');

/** Every .kpi file the formatter must handle: all fixtures (rules included) and the examples. */
const ALL_FILES = [...findKpiFiles(FIXTURES), ...findKpiFiles(EXAMPLES)].sort();

/** The images of all tokens and comments, in text order. */
function images(text: string): string[] {
  const { tokens, comments } = lex(text);
  return [...tokens, ...comments].sort((a, b) => a.startOffset - b.startOffset).map((t) => t.image);
}

function applyEdits(text: string, edits: TextEdit[]): string {
  let result = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) result = result.slice(0, e.start) + e.newText + result.slice(e.end);
  return result;
}

/** Diagnostics of a set of files as comparable lines: file, code, severity, message and the text the range covers. */
function diagnosticLines(root: string, files: InputFile[], configText: string | undefined, today: string): string[] {
  const day = parseDate(today)!;
  const workspace = createWorkspace({ root, fs: nodeFileSystem, today: () => day, files, configText });
  const lines: string[] = [];
  for (const doc of workspace.documents) {
    for (const d of workspace.diagnostics(doc.key)) {
      lines.push(`${doc.key} ${d.code} ${d.severity} «${doc.text.slice(d.span.start, d.span.end)}» ${d.message}`);
    }
  }
  return lines.sort();
}

/** Offsets of the top-level declaration keywords (brace depth 0) of a text without syntax errors. */
function declarationStarts(text: string): number[] {
  const starts: number[] = [];
  let depth = 0;
  for (const t of lex(text).tokens) {
    if (t.image === '{') depth++;
    else if (t.image === '}') depth--;
    else if (depth === 0 && ['function', 'role', 'team', 'objective', 'process', 'kpi', 'sop', 'scorecard'].includes(t.image)) starts.push(t.startOffset);
  }
  return starts;
}

/** A small deterministic random generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('formatter', () => {
  describe('golden files (test/fixtures/format)', () => {
    const cases = fs
      .readdirSync(GOLDEN)
      .filter((f) => f.endsWith('.kpi') && !f.endsWith('.formatted.kpi'))
      .sort();

    it('has cases', () => assert.ok(cases.length >= 8, `only ${cases.length} cases`));

    for (const name of cases) {
      it(name, () => {
        const input = read(path.join(GOLDEN, name));
        const actual = formatDocument(input);
        assert.ok(actual !== undefined, `${name} has syntax errors`);
        const expectedFile = path.join(GOLDEN, name.replace(/\.kpi$/, '.formatted.kpi'));
        if (UPDATE) fs.writeFileSync(expectedFile, actual);
        assert.ok(fs.existsSync(expectedFile), `${rel(expectedFile)} is missing: run UPDATE_GOLDEN=1 npx mocha test/format.test.ts`);
        assert.equal(actual, read(expectedFile));
      });
    }

    it('the CRLF case really has CRLF line ends, and keeps them', () => {
      const input = read(path.join(GOLDEN, 'crlf.kpi'));
      assert.ok(input.includes('\r\n'), 'crlf.kpi lost its CRLF line ends (a checkout setting?)');
      const output = formatDocument(input)!;
      assert.ok(!/[^\r]\n/.test(output), 'a bare LF in the output of a CRLF file');
    });

    for (const name of cases) {
      it(`${name} with CRLF line ends formats like with LF`, () => {
        const lf = read(path.join(GOLDEN, name)).replace(/\r\n/g, '\n');
        assert.equal(formatDocument(lf.replace(/\n/g, '\r\n')), formatDocument(lf)!.replace(/\n/g, '\r\n'));
      });
    }
  });

  describe('every fixture and example', () => {
    it('finds the files', () => {
      assert.ok(ALL_FILES.some((f) => f.includes(`${path.sep}rules${path.sep}`)));
      assert.ok(ALL_FILES.some((f) => f.startsWith(EXAMPLES)));
    });

    it('is idempotent: formatting twice equals formatting once', () => {
      const failures: string[] = [];
      for (const file of ALL_FILES) {
        const once = formatDocument(read(file));
        if (once === undefined) continue;
        const twice = formatDocument(once);
        if (twice !== once) failures.push(rel(file));
      }
      assert.deepEqual(failures, []);
    });

    it('keeps every token and comment, in order', () => {
      const failures: string[] = [];
      for (const file of ALL_FILES) {
        const text = read(file);
        const formatted = formatDocument(text);
        if (formatted === undefined) continue;
        if (JSON.stringify(images(formatted)) !== JSON.stringify(images(text))) failures.push(rel(file));
      }
      assert.deepEqual(failures, []);
    });

    it('formats every example and every file under test/fixtures/format', () => {
      const refused = ALL_FILES.filter((f) => (f.startsWith(EXAMPLES) || f.startsWith(GOLDEN)) && formatDocument(read(f)) === undefined);
      assert.deepEqual(refused.map(rel), []);
    });

    it('the examples are in canonical layout', () => {
      const unformatted = findKpiFiles(EXAMPLES).filter((f) => formatDocument(read(f)) !== read(f));
      assert.deepEqual(unformatted.map(rel), []);
    });

    it('leaves the diagnostics of the examples unchanged (codes, messages, the text they point at)', () => {
      const files = findKpiFiles(EXAMPLES)
        .sort()
        .map((f) => ({ key: keyFor(EXAMPLES, f), path: f, text: read(f) }));
      const scrambled = files.map((f) => ({ ...f, text: scramble(f.text) }));
      const before = diagnosticLines(EXAMPLES, scrambled, undefined, '2026-11-22');
      const after = diagnosticLines(EXAMPLES, scrambled.map((f) => ({ ...f, text: formatDocument(f.text)! })), undefined, '2026-11-22');
      assert.equal(before.length, 9, 'the findings examples/README.md lists');
      assert.deepEqual(after, before);
    });

    it('leaves the diagnostics of every rule fixture unchanged', () => {
      const failures: string[] = [];
      for (const fixture of loadFixtures(path.join(FIXTURES, 'rules'), () => undefined)) {
        const before = diagnosticLines(fixture.root, fixture.files, fixture.configText, fixture.today);
        const formatted = fixture.files.map((f) => ({ ...f, text: formatDocument(f.text) ?? f.text }));
        const after = diagnosticLines(fixture.root, formatted, fixture.configText, fixture.today);
        if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(fixture.name);
      }
      assert.deepEqual(failures, []);
    });

    it('never throws and stays safe on damaged text', () => {
      const rnd = random(20261122);
      const pieces = ['{', '}', '"', ' ', '\n', '//', '/*', '*/', ',', '.', 'owner ', 'step ', 'kpi ', 'X', '>=', '->', '\r\n', '\t'];
      for (const file of findKpiFiles(EXAMPLES).sort()) {
        const text = read(file);
        for (let n = 0; n < 40; n++) {
          let damaged = text;
          for (let k = 0; k < 3; k++) {
            const at = Math.floor(rnd() * damaged.length);
            const cut = Math.floor(rnd() * 4);
            damaged = damaged.slice(0, at) + pieces[Math.floor(rnd() * pieces.length)] + damaged.slice(at + cut);
          }
          const once = formatDocument(damaged);
          if (once === undefined) continue;
          assert.equal(formatDocument(once), once, `not idempotent on a damaged ${rel(file)}`);
          assert.deepEqual(images(once), images(damaged));
        }
      }
    });
  });

  describe('comments and line breaks anywhere', () => {
    // Comments, blank lines and line breaks inserted between random tokens of
    // the examples: the text must format (never "unsafe"), idempotently, with
    // every token and comment kept and the same diagnostics.
    const inserts = [' ', '\n', '\n\n\n', ' /* c */ ', '/* a\nb */', ' // c\n', '\n// c\n', '\n// kpi-disable-next-line\n', ' // kpi-disable-next-line unknown-reference\n', '\t', '\r\n'];
    for (const file of findKpiFiles(EXAMPLES).sort()) {
      it(rel(file), () => {
        const rnd = random(file.length);
        const text = read(file);
        const boundaries = lex(text).tokens.map((t) => t.startOffset);
        let formattedCount = 0;
        for (let n = 0; n < 60; n++) {
          const at = [...new Set(Array.from({ length: 6 }, () => boundaries[Math.floor(rnd() * boundaries.length)]!))].sort((a, b) => b - a);
          let damaged = text;
          for (const offset of at) damaged = damaged.slice(0, offset) + inserts[Math.floor(rnd() * inserts.length)] + damaged.slice(offset);
          const outcome = formatWithReason(damaged);
          if ('reason' in outcome) {
            assert.equal(outcome.reason, 'syntax', `unsafe on:\n${damaged}`);
            continue;
          }
          formattedCount++;
          assert.equal(formatDocument(outcome.text), outcome.text, `not idempotent on:\n${damaged}`);
          assert.deepEqual(images(outcome.text), images(damaged));
          const before = diagnosticLines(EXAMPLES, [{ key: 'x.kpi', text: damaged }], undefined, '2026-11-22');
          const after = diagnosticLines(EXAMPLES, [{ key: 'x.kpi', text: outcome.text }], undefined, '2026-11-22');
          assert.deepEqual(after, before, `diagnostics changed on:\n${damaged}`);
        }
        assert.ok(formattedCount >= 20, `only ${formattedCount} damaged texts parsed`);
      });
    }
  });

  describe('layout details', () => {
    it('writes an empty text as empty and ends other texts with one newline', () => {
      assert.equal(formatDocument(''), '');
      assert.equal(formatDocument('  \n\n '), '');
      assert.equal(formatDocument('\n\n// only a comment\n\n\n'), '// only a comment\n');
      assert.equal(formatDocument('role A'), 'role A\n');
    });

    it('keeps a byte order mark', () => {
      assert.equal(formatDocument('\uFEFFrole   A\n'), '\uFEFFrole A\n');
    });

    it('keeps a disable comment directly above the code it silences', () => {
      const text = [
        'process P {',
        '  owner A',
        '  // kpi-disable-next-line unknown-reference',
        '  step S { owner Nobody',
        '    next T }',
        '  step T { owner A }',
        '}',
        '',
      ].join('\n');
      const formatted = formatDocument(text)!;
      const lines = formatted.split('\n');
      const at = lines.findIndex((l) => l.includes('kpi-disable-next-line'));
      assert.match(lines[at + 1]!, /^\s*step S \{ owner Nobody$/);
      assert.match(lines[at + 2]!, /^\s*next +T$/);
      assert.equal(formatDocument(formatted), formatted);
    });

    it('keeps the shape of a step under a disable comment', () => {
      const long = `step Long "${'x'.repeat(90)}" { owner A }`;
      const text = `process P {\n  owner A\n  // kpi-disable-next-line unknown-reference\n  ${long}\n}\n`;
      assert.equal(formatDocument(text), text);
    });

    it('does not silence more or less after formatting a disable comment before a declaration', () => {
      const text = 'kpi A { owner X } // kpi-disable-next-line unlinked-kpi\nkpi B { owner X }\n';
      const formatted = formatDocument(text)!;
      assert.match(formatted, /\/\/ kpi-disable-next-line unlinked-kpi\nkpi B \{ owner X \}\n$/);
    });

    it('formats text whose only errors are values the checker rejects', () => {
      assert.equal(formatDocument('kpi A {\n perspective finance }\n'), 'kpi A {\n  perspective finance\n}\n');
    });
  });

  describe('syntax errors', () => {
    const broken: Record<string, string> = {
      'unterminated string': 'kpi A "Title {\n  owner X\n}\n',
      'unterminated block comment': 'role A\n/* never closed\n',
      'missing closing brace': 'kpi A {\n  owner X\n\nkpi B {\n  owner X\n}\n',
      'stray token': 'kpi A {\n  owner X @\n}\n',
      'missing name': 'kpi {\n  owner X\n}\n',
      'not a declaration': 'owner X\n',
      'unknown property': 'kpi A {\n  colour red\n}\n',
      'end of input': 'kpi A {\n  target >=',
    };
    for (const [name, text] of Object.entries(broken)) {
      it(`leaves a document alone: ${name}`, () => {
        assert.equal(formatDocument(text), undefined);
        assert.equal(formatRange(text, 0, text.length), undefined);
      });
    }

    it('refuses the structurally broken syntax-error fixtures', () => {
      for (const name of ['fires-missing-name', 'fires-stray-token', 'fires-unterminated-string', 'fires-unterminated-block-comment', 'recovers-missing-brace']) {
        const text = read(path.join(FIXTURES, 'rules', 'syntax-error', `${name}.kpi`));
        assert.equal(formatDocument(text), undefined, name);
      }
    });
  });

  describe('formatRange', () => {
    const text = ['kpi A {', '      owner X', '}', 'kpi   B   {', 'owner X   target >= 1 }', '', '', 'kpi C { owner X }', ''].join('\n');

    it('formats only the declaration the range touches', () => {
      const start = text.indexOf('kpi   B');
      const edits = formatRange(text, start + 2, start + 4)!;
      assert.equal(edits.length, 1);
      const result = applyEdits(text, edits);
      assert.ok(result.startsWith('kpi A {\n      owner X\n}\n'), result);
      assert.ok(result.includes('\n\nkpi B {\n  owner  X\n  target >= 1\n}\n'), result);
      assert.ok(result.endsWith('\n\n\nkpi C { owner X }\n'), result);
      for (const e of edits) assert.ok(e.end <= text.indexOf('kpi C') && e.start >= text.indexOf('}'), 'an edit outside B');
    });

    it('extends to every declaration the range intersects', () => {
      const edits = formatRange(text, text.indexOf('owner X   target'), text.indexOf('kpi C') + 5)!;
      assert.equal(edits.length, 2);
      const result = applyEdits(text, edits);
      assert.ok(result.startsWith('kpi A {\n      owner X\n}\n'));
      assert.ok(result.endsWith('kpi C {\n  owner X\n}\n'));
    });

    it('over the whole text equals formatDocument, for every example and golden case', () => {
      const files = [...findKpiFiles(EXAMPLES), ...findKpiFiles(GOLDEN)].sort();
      for (const file of files) {
        const source = scramble(read(file));
        const edits = formatRange(source, 0, source.length)!;
        assert.equal(applyEdits(source, edits), formatDocument(source), rel(file));
      }
    });

    it('declaration by declaration equals formatDocument', () => {
      const source = scramble(read(path.join(EXAMPLES, 'sales.kpi')));
      let current = source;
      // Format one declaration at a time, from the last to the first, each time on the current text.
      const starts = declarationStarts(current).reverse();
      for (const at of starts) current = applyEdits(current, formatRange(current, at, at + 1)!);
      assert.equal(current, formatDocument(source));
    });

    it('treats a run of aligned one-line declarations as one', () => {
      const runText = 'role A "A" in S\nrole Longer "Longer" in S\n\nkpi K { owner A }\n';
      const edits = formatRange(runText, 0, 3)!;
      assert.equal(applyEdits(runText, edits).split('\n\n')[0], 'role A      "A"      in S\nrole Longer "Longer" in S');
    });

    it('trims an edit to what changes', () => {
      const source = 'role X\n\nkpi A {\n  owner  X\n     target >= 1\n}\n';
      const edits = formatRange(source, source.indexOf('kpi'), source.length)!;
      assert.equal(edits.length, 1);
      assert.equal(edits[0]!.newText.trim(), '');
      assert.ok(edits[0]!.end - edits[0]!.start <= 5);
      assert.equal(applyEdits(source, edits), formatDocument(source));
    });

    it('returns no edit when the declaration is already formatted', () => {
      const formatted = formatDocument(text)!;
      assert.deepEqual(formatRange(formatted, 0, formatted.length), []);
    });
  });

  // Speed is measured by the benchmark (`npm run bench`), never here. This
  // checks that a large file comes out right; the timeout guards against a
  // hang, not against slowness.
  it('formats a 10,000-line file idempotently, keeping its tokens and comments', function () {
    this.timeout(120_000);
    const unit = read(path.join(EXAMPLES, 'sales.kpi')) + '\n' + read(path.join(EXAMPLES, 'sops.kpi'));
    const parts: string[] = [];
    let lines = 0;
    for (let i = 0; lines < 10_000; i++) {
      const part = scramble(unit).replace(/\b([A-Z][A-Za-z]+)\b/g, `$1${i}`);
      parts.push(part);
      lines += part.split('\n').length;
    }
    const big = parts.join('\n');
    assert.ok(lines >= 10_000);
    const formatted = formatDocument(big);
    assert.ok(formatted !== undefined, 'the 10,000-line file did not format');
    assert.deepEqual(images(formatted), images(big), 'tokens or comments changed');
    assert.equal(formatDocument(formatted), formatted, 'not idempotent');
  });

  describe('kpi format (dist/cli.cjs)', () => {
    const MESSY = 'kpi   A {\n      owner X\n  target >= 1 }\n';
    const CLEAN = formatDocument(MESSY)!;
    const BROKEN = 'kpi B {\n  owner "unterminated\n}\n';
    let root: string | undefined;

    before(() => assertBuilt(CLI));
    afterEach(() => {
      removeWorkspace(root);
      root = undefined;
    });

    function kpi(args: string[]) {
      const result = spawnSync(process.execPath, [CLI, ...args], { cwd: root, encoding: 'utf8' });
      if (result.error) throw result.error;
      return result;
    }

    it('--check exits 0 and prints nothing when every file is formatted', () => {
      root = tempWorkspace({ 'a.kpi': CLEAN, 'sub/b.kpi': CLEAN });
      const run = kpi(['format', '--check']);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, '');
    });

    it('--check lists the files that are not formatted, exits 1 and changes nothing', () => {
      root = tempWorkspace({ 'a.kpi': CLEAN, 'sub/b.kpi': MESSY });
      const run = kpi(['format', '--check']);
      assert.equal(run.status, 1);
      assert.equal(run.stdout, 'sub/b.kpi\n');
      assert.equal(read(path.join(root, 'sub', 'b.kpi')), MESSY);
    });

    it('rewrites the files that are not formatted and prints their paths', () => {
      root = tempWorkspace({ 'a.kpi': CLEAN, 'sub/b.kpi': MESSY, 'sub/c.kpi': MESSY });
      const run = kpi(['format']);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, 'sub/b.kpi\nsub/c.kpi\n');
      assert.equal(read(path.join(root, 'sub', 'b.kpi')), CLEAN);
      assert.equal(kpi(['format', '--check']).status, 0);
    });

    it('formats only the paths given', () => {
      root = tempWorkspace({ 'a.kpi': MESSY, 'b.kpi': MESSY });
      const run = kpi(['format', 'b.kpi']);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(read(path.join(root, 'a.kpi')), MESSY);
      assert.equal(read(path.join(root, 'b.kpi')), CLEAN);
    });

    it('skips files with syntax errors, names them on stderr and exits 1', () => {
      root = tempWorkspace({ 'a.kpi': MESSY, 'broken.kpi': BROKEN });
      const run = kpi(['format']);
      assert.equal(run.status, 1);
      assert.match(run.stderr, /broken\.kpi: has syntax errors/);
      assert.equal(read(path.join(root, 'broken.kpi')), BROKEN);
      assert.equal(read(path.join(root, 'a.kpi')), CLEAN);
      const check = kpi(['format', '--check']);
      assert.equal(check.status, 1);
      assert.match(check.stderr, /broken\.kpi/);
    });

    it('exits 2 on bad usage', () => {
      root = tempWorkspace({ 'a.kpi': MESSY });
      assert.equal(kpi(['format', '--format', 'json']).status, 2);
      assert.equal(kpi(['format', 'missing.kpi']).status, 2);
      assert.equal(kpi(['format', '--bogus']).status, 2);
      assert.equal(read(path.join(root, 'a.kpi')), MESSY);
    });
  });
});

/**
 * The same text with its layout damaged but its tokens and line structure
 * intact where that matters: indentation removed or doubled, spaces
 * multiplied. Comments keep their own-line or trailing place.
 */
function scramble(text: string): string {
  return text
    .split('\n')
    .map((line, i) => {
      const body = line.trimStart();
      if (body.startsWith('//') || body.startsWith('/*') || body.includes('//')) return line;
      const indent = i % 3 === 0 ? '' : i % 3 === 1 ? '\t' : '      ';
      return indent + body.replace(/ (?=[^"]*(?:"[^"]*"[^"]*)*$)/g, i % 2 === 0 ? '   ' : ' ');
    })
    .join('\n');
}
