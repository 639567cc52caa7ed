// Folding ranges, data-driven: each case is a text and its ranges written
// `start-end` or `start-end kind` (0-based lines), sorted by start line.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { foldingRanges } from '../server/src/language/features/folding';
import { Workspace } from '../server/src/language/service';
import { MemoryFileSystem } from './support/memory-fs';

function ranges(text: string): string[] {
  const workspace = new Workspace({ root: '/ws', fs: new MemoryFileSystem(), today: () => 0 });
  const doc = workspace.setDocument('a.kpi', text);
  return foldingRanges(doc).map((r) => `${r.startLine}-${r.endLine}${r.kind ? ` ${r.kind}` : ''}`);
}

interface Case {
  name: string;
  lines: string[];
  expect: string[];
}

const CASES: Case[] = [
  {
    name: 'a declaration and its thresholds; a closing brace that starts its line stays visible',
    lines: [
      'kpi K {', // 0
      '  owner X',
      '  thresholds {', // 2
      '    green >= 1',
      '    amber >= 0',
      '  }', // 5
      '}', // 6
    ],
    expect: ['0-5', '2-4'],
  },
  {
    name: 'a closing brace after other text on its line folds with that line',
    lines: [
      'process P {', // 0
      '  step A { owner X', // 1
      '    next B }', // 2
      '  step B { owner X } }', // 3
    ],
    expect: ['0-3', '1-2'],
  },
  {
    name: 'process steps and the sop steps checklist',
    lines: [
      'process P {', // 0
      '  step A {', // 1
      '    owner X',
      '  }', // 3
      '}',
      'sop S {', // 5
      '  steps {', // 6
      '    "a"',
      '    "b"',
      '  }', // 9
      '}', // 10
    ],
    expect: ['0-3', '1-2', '5-9', '6-8'],
  },
  {
    name: 'blocks on one line, or with only their closing brace below, do not fold',
    lines: ['kpi K { thresholds { green >= 1  amber >= 0 } }', 'sop S {', '}', 'role R'],
    expect: [],
  },
  {
    name: 'braces in strings and comments do not count',
    lines: [
      'kpi K { outcome "{" // {', // 0
      '  why "}" /* } */', // 1
      '}', // 2
    ],
    expect: ['0-1'],
  },
  {
    name: 'a missing brace damages only its own declaration; an extra one is ignored',
    lines: [
      'kpi A {', // 0
      '  owner X', // 1
      'kpi B {', // 2
      '  owner Y', // 3
      '}', // 4
      '}', // 5
      'sop C {', // 6
      '  owner Z', // 7
      '}', // 8
    ],
    expect: ['2-3', '6-7'],
  },
  {
    name: 'two ranges on one start line: the longer one is kept',
    lines: [
      'kpi K { thresholds {', // 0
      '    green >= 1',
      '    amber >= 0 }', // 2
      '  owner X',
      '}', // 4
    ],
    expect: ['0-3'],
  },
  {
    name: 'runs of two or more line comments alone on their lines',
    lines: [
      '// a', // 0
      '// b', // 1
      'role X // trailing comments do not join', // 2
      '// alone', // 3
      '',
      '  // d', // 5
      '  // e',
      '  // kpi-disable-next-line unused-declaration', // 7
      'role Y',
    ],
    expect: ['0-1 comment', '5-7 comment'],
  },
  {
    name: 'block comments over several lines fold whole',
    lines: [
      '/* a', // 0
      '   b */', // 1
      '/* single */',
      'role X /* c', // 3
      'd */', // 4
      '/* not closed', // 5
      'role Y',
      '', // 7
    ],
    expect: ['0-1 comment', '3-4 comment', '5-6 comment'],
  },
  {
    name: '#region markers, nested, including both marker lines; strays are ignored',
    lines: [
      '// #region Sales', // 0
      'role A',
      '// #region nested', // 2
      '// inside the nested region', // 3
      '// two comment lines', // 4
      '// #endregion', // 5
      '//#endregion', // 6
      '// #endregion stray',
      '  // region without a hash, as language-configuration.json allows', // 8
      'role B',
      '  // endregion', // 10
      '// regional is no marker', // 11
      '// nor is this',
    ],
    expect: ['0-6 region', '2-5 region', '3-4 comment', '8-10 region', '11-12 comment'],
  },
];

describe('folding ranges', () => {
  for (const c of CASES) {
    it(c.name, () => assert.deepEqual(ranges(c.lines.join('\n')), c.expect));
    it(`${c.name} (CRLF)`, () => assert.deepEqual(ranges(c.lines.join('\r\n')), c.expect));
  }

  it('never throws and stays within the document on the examples, whole and cut anywhere', () => {
    const dir = path.join(import.meta.dirname, '..', 'examples');
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.kpi'))) {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      const lineCount = text.split(/\r\n|\r|\n/).length;
      for (let cut = 0; cut <= text.length; cut += 97) {
        for (const r of ranges(text.slice(0, cut) + text.slice(cut + 13))) {
          const [span] = r.split(' ');
          const [start, end] = span!.split('-').map(Number);
          assert.ok(start! >= 0 && end! > start! && end! < lineCount, `${name} cut at ${cut}: ${r}`);
        }
      }
      assert.ok(ranges(text).length > 0, name);
    }
  });
});
