// Every quick fix, on one fixture workspace (test/fixtures/features/fixes/):
// for each diagnostic, the fixes offered (title, preferred, auto) and their
// edits, and what "fix all" makes of each file, compared with the golden
// files in test/fixtures/features/golden/fixes/ (UPDATE_GOLDEN=1 rewrites
// them). The protocol tests in features.test.ts cover the same fixes through
// the server's `data` round trip.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, fixAll, fixesFor } from '../server/src/language/features/fixes';
import { parseDate } from '../server/src/language/model/periods';
import { createWorkspace } from '../server/src/language/service';
import { MemoryFileSystem } from './support/memory-fs';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'features', 'fixes');
const GOLDEN = path.join(import.meta.dirname, 'fixtures', 'features', 'golden', 'fixes');

function expectGolden(name: string, text: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env['UPDATE_GOLDEN']) {
    fs.mkdirSync(GOLDEN, { recursive: true });
    fs.writeFileSync(file, text);
  }
  assert.ok(fs.existsSync(file), `golden file fixes/${name} is missing; run with UPDATE_GOLDEN=1`);
  assert.equal(text, fs.readFileSync(file, 'utf8'), `fixes/${name} differs from its golden file`);
}

describe('quick fixes of every rule', () => {
  const files = fs
    .readdirSync(FIXTURE)
    .sort()
    .map((name) => ({ key: name, text: fs.readFileSync(path.join(FIXTURE, name), 'utf8') }));
  const workspace = createWorkspace({ root: '/ws', fs: new MemoryFileSystem(), today: () => parseDate('2026-11-22')!, files });

  it('offers the same fixes with the same edits', () => {
    const lines: string[] = [];
    for (const doc of workspace.documents) {
      for (const d of workspace.diagnostics(doc.key)) {
        const at = doc.lines.positionAt(d.span.start);
        lines.push(`${doc.key}:${at.line + 1}:${at.character + 1} ${d.code}`);
        for (const fix of fixesFor(workspace, doc, d)) {
          lines.push(`  ${fix.title}${fix.preferred ? ' [preferred]' : ''}${fix.auto ? ' [auto]' : ''}`);
          for (const edit of fix.edits) {
            const target = workspace.getDocument(edit.key)!;
            const from = target.lines.positionAt(edit.span.start);
            const to = target.lines.positionAt(edit.span.end);
            lines.push(`    ${edit.key}:${from.line + 1}:${from.character + 1}-${to.line + 1}:${to.character + 1} ${JSON.stringify(edit.newText)}`);
          }
        }
      }
    }
    expectGolden('fixes.txt', `${lines.join('\n')}\n`);
  });

  it('fixes all auto-fixable problems of each file', () => {
    for (const doc of workspace.documents) expectGolden(`fix-all-${doc.key}`, applyEdits(doc.text, fixAll(workspace, doc)));
  });
});
