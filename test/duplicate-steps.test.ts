// LANGUAGE.md section 7: when two steps of one process share a name, `next`
// inside the process and `Process.Step` outside it both mean the first. The
// rule fixtures cover the checks; this covers the editor queries, which go
// through the same step lookup.
import * as assert from 'node:assert/strict';
import { hover } from '../server/src/language/features/hover';
import { definition, references } from '../server/src/language/features/navigation';
import { parseDate } from '../server/src/language/model/periods';
import { buildScorecardModel } from '../server/src/language/scorecard/build';
import { createWorkspace } from '../server/src/language/service';
import { MemoryFileSystem } from './support/memory-fs';

const TEXT = `role Analyst "Analyst"
role Clerk "Clerk"

process Intake "Intake" {
  owner Analyst
  step Receive "Receive" { owner Analyst  next Log }
  step Log "Log" { owner Analyst  next Archive }
  step Log "Log again" { owner Clerk }
  step Archive "Archive" { owner Analyst }
}

kpi LeadLogTime "Lead logged" {
  owner Analyst
  step  Intake.Log
}
`;

describe('two steps of one process with the same name', () => {
  const workspace = createWorkspace({ root: '/ws', fs: new MemoryFileSystem(), today: () => parseDate('2026-11-22')!, files: [{ key: 'intake.kpi', text: TEXT }] });
  const doc = workspace.getDocument('intake.kpi')!;
  const firstLog = TEXT.indexOf('step Log "Log"') + 'step '.length;
  const laterLog = TEXT.indexOf('step Log "Log again"') + 'step '.length;
  const nextLog = TEXT.indexOf('next Log') + 'next '.length;
  const memberLog = TEXT.indexOf('Intake.Log') + 'Intake.'.length;

  it('go to definition from `next Log` and from `Intake.Log` lands on the first', () => {
    assert.equal(definition(workspace, doc, nextLog)?.span.start, firstLog);
    assert.equal(definition(workspace, doc, memberLog)?.span.start, firstLog);
  });

  it('finds the references on the first step and none on the later one', () => {
    assert.deepEqual(references(workspace, doc, firstLog, false).map((l) => l.span.start).sort((a, b) => a - b), [nextLog, memberLog]);
    assert.deepEqual(references(workspace, doc, laterLog, false), []);
  });

  it('lists the KPI at the first step in the hover, not at the later one', () => {
    const text = (offset: number) => hover(workspace, doc, offset)?.markdown ?? '';
    assert.match(text(firstLog), /LeadLogTime/);
    assert.doesNotMatch(text(laterLog), /LeadLogTime/);
  });

  it('shows the first step on the kpi card and its owner in the hand-offs', () => {
    const model = buildScorecardModel(workspace);
    assert.deepEqual(model.kpis.find((k) => k.name === 'LeadLogTime')?.steps.map((s) => s.title), ['Log']);
    const receive = model.processes[0]!.steps.find((s) => s.name === 'Receive')!;
    assert.deepEqual(receive.handoffs, []);
  });
});
