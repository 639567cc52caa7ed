// A scorecard model built from test/fixtures/maps/support.kpi: a process
// that branches, joins, loops and has an unreachable step, hand-offs between
// owners and functions, an overdue SOP, objectives with `drives` and KPIs
// that depend on each other's. The map tests and screenshots read it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDate } from '../../server/src/language/model/periods';
import { buildScorecardModel } from '../../server/src/language/scorecard/build';
import type { ScorecardModel } from '../../server/src/language/scorecard/model';
import { createWorkspace } from '../../server/src/language/service';
import { MemoryFileSystem } from './memory-fs';

export const MAP_FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'maps', 'support.kpi');

export function supportModel(): ScorecardModel {
  const text = fs.readFileSync(MAP_FIXTURE, 'utf8');
  const workspace = createWorkspace({
    root: '/ws',
    fs: new MemoryFileSystem({ '/ws/support.kpi': text }),
    today: () => parseDate('2026-12-01')!,
    files: [{ key: 'support.kpi', path: '/ws/support.kpi', text }],
  });
  return buildScorecardModel(workspace);
}
