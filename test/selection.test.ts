// Smart selection (features/selection.ts): each case is a text with the
// cursor at ‸ and the texts Expand Selection selects, from the innermost out.
import * as assert from 'node:assert/strict';
import { createWorkspace, selectionRanges } from '../server/src/language/service';
import { parseDate } from '../server/src/language/model/periods';
import { MemoryFileSystem } from './support/memory-fs';

const KPI = `kpi K "Title" {
  owner R
  step  P.Step
  thresholds { green >= 9  amber >= 5 }
  actual 2026-10 7
}
`;
const PROCESS = `process P "P" {
  owner R
  step A "A" { owner R  next B }
  step B "B" { owner R }
}
`;
const KPI_INNER = KPI.slice(KPI.indexOf('owner'), KPI.indexOf('7') + 1);
const PROCESS_INNER = PROCESS.slice(PROCESS.indexOf('owner'), PROCESS.lastIndexOf('}', PROCESS.length - 3) + 1);

const CASES: { what: string; text: string; cursor: string; expected: string[] }[] = [
  {
    what: 'a step of Process.Step: the name, the pair, the property, the block, the declaration',
    text: KPI,
    cursor: 'P.Ste',
    expected: ['Step', 'P.Step', 'step  P.Step', KPI_INNER, `{\n  ${KPI_INNER}\n}`, KPI.trimEnd()],
  },
  {
    what: 'a band inside thresholds: the word, the inside of its braces, the braces, the property',
    text: KPI,
    cursor: 'gr',
    expected: ['green', 'green >= 9  amber >= 5', '{ green >= 9  amber >= 5 }', 'thresholds { green >= 9  amber >= 5 }', KPI_INNER, `{\n  ${KPI_INNER}\n}`, KPI.trimEnd()],
  },
  {
    what: 'an actual is a property of its own',
    text: KPI,
    cursor: 'actual 2026-1',
    expected: ['2026-10', 'actual 2026-10 7', KPI_INNER, `{\n  ${KPI_INNER}\n}`, KPI.trimEnd()],
  },
  {
    what: 'next inside a step on one line: the property, the step block, the step',
    text: PROCESS,
    cursor: 'next ',
    expected: ['B', 'next B', 'owner R  next B', '{ owner R  next B }', 'step A "A" { owner R  next B }', PROCESS_INNER, `{\n  ${PROCESS_INNER}\n}`, PROCESS.trimEnd()],
  },
  {
    what: 'a role named like a keyword is a reference, not the start of a property',
    text: 'role owner "Owner"\nkpi K { owner owner  target >= 1 }\n',
    cursor: 'owner own',
    expected: ['owner', 'owner owner', 'owner owner  target >= 1', '{ owner owner  target >= 1 }', 'kpi K { owner owner  target >= 1 }'],
  },
  {
    what: 'white space between properties: the block and out',
    text: KPI,
    cursor: 'owner R\n ',
    expected: [KPI_INNER, `{\n  ${KPI_INNER}\n}`, KPI.trimEnd()],
  },
  {
    what: 'an unclosed block still expands to the end of the declaration',
    text: 'kpi K "T" {\n  owner R\n  target >= 1\n',
    cursor: 'tar',
    expected: ['target', 'target >= 1', 'owner R\n  target >= 1', '{\n  owner R\n  target >= 1', 'kpi K "T" {\n  owner R\n  target >= 1'],
  },
  {
    what: 'white space right inside a brace: the braces, not the inside that starts later',
    text: 'kpi K {   owner R }\n',
    cursor: 'kpi K { ',
    expected: ['{   owner R }', 'kpi K {   owner R }'],
  },
  {
    what: 'a comment inside a block: the block around it',
    text: 'kpi K {\n  // why\n  owner R\n}\n',
    cursor: '// w',
    expected: ['// why', '{\n  // why\n  owner R\n}', 'kpi K {\n  // why\n  owner R\n}'],
  },
  { what: 'outside every declaration: nothing', text: '// a comment\n\nkpi K { }\n', cursor: '// a', expected: [] },
];

describe('smart selection: Expand Selection from the cursor out', () => {
  for (const c of CASES) {
    it(c.what, () => {
      const offset = c.text.indexOf(c.cursor) + c.cursor.length;
      assert.ok(offset >= c.cursor.length, `${c.cursor} is in the text`);
      const workspace = createWorkspace({ root: '/ws', fs: new MemoryFileSystem({}), today: () => parseDate('2026-11-22')!, files: [{ key: 'a.kpi', path: '/ws/a.kpi', text: c.text }] });
      const [spans] = selectionRanges(workspace.getDocument('a.kpi')!, [offset]);
      assert.deepEqual(spans!.map((s) => c.text.slice(s.start, s.end)), c.expected);
    });
  }
});
