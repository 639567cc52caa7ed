// The incremental invariant (docs/ARCHITECTURE.md): after any sequence of
// edits, every document's diagnostics equal those of a fresh analysis of the
// same texts. A seeded random sequence of edits over the examples checks it;
// test/fuzz.test.ts does the same with many more kinds of edits. The same
// edits check the scorecard builder: a model rebuilt after each edit, keeping
// the cards whose inputs did not change, equals a model built from scratch.
import * as assert from 'node:assert/strict';
import { buildScorecardModel, ScorecardBuilder } from '../server/src/language/scorecard/build';
import { applyDelta, diffModels } from '../server/src/language/scorecard/delta';
import { createWorkspace } from '../server/src/language/service';
import { LineIndex, type TextChange } from '../server/src/language/text';
import { loadExamples } from './support/fuzz';
import { diagnosticLines as snapshot, TODAY } from './support/invariants';
import { MemoryFileSystem } from './support/memory-fs';
import { random } from './support/random';

const ROOT = '/ws';

const TOKENS = ['}', '{', 'owner', 'kpi X', 'drives GrowAPlus', 'step', 'depends', 'SellOutGrowth', 'BranchManager', '"', '/*', '>= 3', 'actual 2026-10 1', 'sop', '.', ',', 'role Y in Sales', 'amber <= 2'];

type Edit = (text: string, rnd: () => number) => string;

const EDITS: Edit[] = [
  // Delete a line.
  (text, rnd) => {
    const lines = text.split('\n');
    lines.splice(Math.floor(rnd() * lines.length), 1);
    return lines.join('\n');
  },
  // Duplicate a line.
  (text, rnd) => {
    const lines = text.split('\n');
    const i = Math.floor(rnd() * lines.length);
    lines.splice(i, 0, lines[i] ?? '');
    return lines.join('\n');
  },
  // Insert a token somewhere.
  (text, rnd) => {
    const at = Math.floor(rnd() * (text.length + 1));
    return `${text.slice(0, at)} ${TOKENS[Math.floor(rnd() * TOKENS.length)]} ${text.slice(at)}`;
  },
  // Delete a few characters.
  (text, rnd) => {
    const at = Math.floor(rnd() * text.length);
    return text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 8));
  },
  // Rename every occurrence of one identifier.
  (text, rnd) => {
    const names = [...new Set(text.match(/\b[A-Z][A-Za-z]+\b/g) ?? [])];
    const name = names[Math.floor(rnd() * names.length)];
    return name ? text.replace(new RegExp(`\\b${name}\\b`, 'g'), `${name}X`) : text;
  },
];

/** The range of `before` that `after` replaced, widened by up to `widen` characters on each side. */
function changedRange(before: string, after: string, widen: number): TextChange {
  let prefix = 0;
  while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < before.length - prefix && suffix < after.length - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  const start = Math.max(0, prefix - widen);
  const tail = Math.max(0, suffix - widen);
  return { start, end: before.length - tail, newLength: after.length - tail - start };
}

describe('line index', () => {
  it('after an edit equals a fresh index, line endings of every kind', () => {
    const rnd = random(7);
    const alphabet = ['a', 'b', '\n', '\r', '\r\n'];
    const pick = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
    let text = pick(40);
    let index = LineIndex.of(text);
    for (let step = 0; step < 3000; step++) {
      const start = Math.floor(rnd() * (text.length + 1));
      const end = start + Math.floor(rnd() * Math.min(4, text.length - start + 1));
      const insert = pick(Math.floor(rnd() * 4));
      const next = text.slice(0, start) + insert + text.slice(end);
      index = index.edited(next, { start, end, newLength: insert.length });
      const fresh = LineIndex.of(next);
      const where = `step ${step}: ${JSON.stringify(text)} → ${JSON.stringify(next)}`;
      assert.equal(index.lineCount, fresh.lineCount, where);
      for (let line = 0; line < fresh.lineCount; line++) assert.equal(index.lineStart(line), fresh.lineStart(line), where);
      text = next;
    }
  });
});

describe('incremental analysis', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`equals a fresh analysis after every edit, and so does the scorecard model (seed ${seed})`, () => {
      const rnd = random(seed);
      const texts = loadExamples();
      const fsys = new MemoryFileSystem(Object.fromEntries([...texts].map(([k, v]) => [`${ROOT}/${k}`, v])));
      const kpiFiles = () => [...texts.keys()].filter((k) => k.endsWith('.kpi'));
      const inputs = () => kpiFiles().map((key) => ({ key, path: `${ROOT}/${key}`, text: texts.get(key)! }));
      const live = createWorkspace({ root: ROOT, fs: fsys, today: () => TODAY, files: inputs() });
      const builder = new ScorecardBuilder();
      // What a client holds: the first model, then each delta applied to it, all through JSON as over the wire.
      const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
      let served = builder.build(live);
      let held = wire(served);
      for (let step = 0; step < 60; step++) {
        const roll = rnd();
        let what: string;
        if (roll < 0.05) {
          // Remove a whole file, or bring one back.
          const key = kpiFiles()[Math.floor(rnd() * kpiFiles().length)]!;
          texts.delete(key);
          live.removeDocument(key);
          what = `remove ${key}`;
        } else if (roll < 0.1) {
          const key = `added${step}.kpi`;
          const text = `role Added${step} in Sales\nkpi K${step} { owner Added${step} depends SellOutGrowth }\n`;
          texts.set(key, text);
          live.setDocument(key, text, step, `${ROOT}/${key}`);
          what = `add ${key}`;
        } else if (roll < 0.15) {
          // Change the data file on disk.
          const csv = `period,value\n2026-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')},${Math.floor(rnd() * 40)}\n${rnd() < 0.3 ? 'garbage\n' : ''}`;
          fsys.write(`${ROOT}/data/sellout.csv`, csv);
          live.dataFileChanged(`${ROOT}/data/sellout.csv`);
          what = 'change data/sellout.csv';
        } else {
          const key = kpiFiles()[Math.floor(rnd() * kpiFiles().length)];
          if (!key) continue;
          const edit = EDITS[Math.floor(rnd() * EDITS.length)]!;
          const before = texts.get(key)!;
          const text = edit(before, rnd);
          texts.set(key, text);
          // Half the edits come with the changed range an editor would send (sometimes wider than needed).
          const change = rnd() < 0.5 ? changedRange(before, text, Math.floor(rnd() * 5)) : undefined;
          live.setDocument(key, text, step, `${ROOT}/${key}`, change);
          what = `edit ${key}${change ? ` (range ${change.start}-${change.end}+${change.newLength})` : ''}`;
        }
        // Like the server, sometimes check only the edited document and let the others wait a step or more.
        const key = /^(edit|add) (.*?)( \(|$)/.exec(what)?.[2];
        if (key && rnd() < 0.4) {
          live.analyze(new Set([key]));
          continue;
        }
        live.analyze();
        assert.equal(live.hasWork, false);
        const fresh = createWorkspace({ root: ROOT, fs: fsys, today: () => TODAY, files: inputs() });
        assert.deepEqual(snapshot(live), snapshot(fresh), `seed ${seed}, step ${step}: ${what}`);
        const built = builder.build(live);
        assert.deepEqual(built, buildScorecardModel(fresh), `the scorecard model, seed ${seed}, step ${step}: ${what}`);
        const delta = diffModels(served, built);
        const next = applyDelta(held, wire(delta));
        assert.deepEqual(next, wire(built), `the model made from a delta, seed ${seed}, step ${step}: ${what}`);
        // A card the delta did not write out is the one the client held.
        for (const [index, entry] of (delta.lists.kpis ?? []).entries()) if (typeof entry === 'number') assert.equal(next.kpis[index], held.kpis[entry]);
        [served, held] = [built, next];
        const file = kpiFiles()[step % Math.max(1, kpiFiles().length)];
        if (file && step % 3 === 0) {
          assert.deepEqual(builder.build(live, { kind: 'file', file }), buildScorecardModel(fresh, { kind: 'file', file }), `the scorecard model of ${file}, seed ${seed}, step ${step}: ${what}`);
        }
      }
    });
  }
});

describe('incremental scope', () => {
  const texts = loadExamples();
  const files = [...texts].filter(([k]) => k.endsWith('.kpi')).map(([key, text]) => ({ key, path: `${ROOT}/${key}`, text }));
  const fsys = new MemoryFileSystem(Object.fromEntries([...texts].map(([k, v]) => [`${ROOT}/${k}`, v])));
  const sales = texts.get('sales.kpi')!;

  it('re-checks only the edited document when no declaration changed', () => {
    const ws = createWorkspace({ root: ROOT, fs: fsys, today: () => TODAY, files });
    ws.setDocument('sales.kpi', `${sales}\n// a note at the end\n`, 1, `${ROOT}/sales.kpi`);
    assert.deepEqual(ws.analyze(), ['sales.kpi']);
  });

  it('re-checks the documents that refer to an edited kpi, and no others', () => {
    const ws = createWorkspace({ root: ROOT, fs: fsys, today: () => TODAY, files });
    ws.setDocument('sales.kpi', sales.replace('"A+ outlet monthly sell-out growth"', '"A+ outlet sell-out growth"'), 1, `${ROOT}/sales.kpi`);
    assert.deepEqual(ws.analyze(), ['sales.kpi', 'strategy.kpi']);
  });
});
