// A deterministic generator of realistic .kpi workspaces for the benchmark:
// every declaration kind and property, references across files, and a few
// deliberate problems (a team as owner, a vague target, a stale KPI, an
// overdue SOP, an amber KPI across functions). Same inputs, same text.

export interface GeneratedFile {
  key: string;
  text: string;
}

/** One self-contained unit of about 50 lines: an org slice, a process, SOPs, KPIs, an objective. */
function unit(u: number, files: number, fileIndex: number): string {
  const other = (fileIndex + 1) % files;
  const fn = `Fn${u}`;
  const fnOther = `Fn${u + 1}`;
  const r = (n: number) => `Role${u}_${n}`;
  const lines = [
    `// Unit ${u}: a slice of the organisation, its process and its KPIs.`,
    `function ${fn} "Function ${u}"`,
    `role ${r(1)} "Head of unit ${u}" in ${fn}`,
    `role ${r(2)} "Coordinator ${u}" in ${fn}`,
    `team Team${u} "Team ${u}" in ${fn}`,
    ``,
    `process Proc${u} "Process ${u}" {`,
    `  owner ${r(1)}`,
    `  step Receive "Request received" { owner ${r(2)}  next Log }`,
    `  step Log "Request logged" { owner ${r(2)}  sop Sop${u}  next Decide }`,
    `  step Decide "Decision taken" { owner ${r(1)} }`,
    `}`,
    ``,
    `sop Sop${u} "Procedure ${u}" {`,
    `  objective "Log every request within 2 hours"`,
    `  owner     ${r(1)}`,
    `  trigger   "A request arrives"`,
    `  roles     ${r(2)}, Team${u}`,
    `  steps {`,
    `    "Log the request"`,
    `    "Tag the next owner"`,
    `  }`,
    `  exception "Request is unclear" -> "Call back within a day"`,
    `  review    every 3 months`,
    `  reviewed  ${u % 17 === 0 ? '2025-01-10' : '2026-10-01'}`,
    `}`,
    ``,
    `kpi Kpi${u} "Requests logged in time ${u}" {`,
    `  outcome     "Every request is logged within 2 hours"`,
    `  owner       ${u % 23 === 0 ? `Team${u}` : r(2)}`,
    `  step        Proc${u}.Log`,
    `  perspective internal`,
    `  supports    Obj${u}`,
    `  target      ${u % 19 === 0 ? '"as fast as possible"' : '>= 95'}`,
    `  thresholds  { green >= 95  amber >= 80 }`,
    `  frequency   monthly`,
    `  checkpoint  weekly`,
    `  indicator   leading`,
    ...dependsLine(u, files * 10),
    // Four actuals, so that every KPI has a trend and a projection (LANGUAGE.md 4.2) to compute;
    // mostly rising, so that `at-risk` fires only where the latest value drops.
    `  actual 2026-06 ${88 + (u % 9)}`,
    `  actual 2026-07 ${89 + (u % 9)}`,
    `  actual 2026-09 ${90 + (u % 9)}`,
    `  actual ${u % 13 === 0 ? '2026-08' : '2026-10'} ${u % 7 === 0 ? 85 : 97}`,
    `}`,
    ``,
    `objective Obj${u} "Objective ${u}" {`,
    `  owner       ${r(1)}`,
    `  perspective internal`,
    `  due         2026-12-31`,
    `  key result  Kpi${u}`,
    `}`,
    ``,
  ];
  void other;
  void fnOther;
  return lines.join('\n');
}

/**
 * Every fourth kpi depends on the next unit's, in another function (a
 * cross-function hand-off), and one pair in a hundred depends on each other (a
 * deliberate cycle): a few problems, as in a real workspace, not one per kpi.
 */
function dependsLine(u: number, units: number): string[] {
  if (u % 100 === 49) return [`  depends     Kpi${u - 1}`];
  if (u % 4 === 0 && u + 1 < units) return [`  depends     Kpi${u + 1}`];
  return ['  unit        "%"'];
}

/** A workspace of `files` files of about `linesPerFile` lines each. */
export function generateWorkspace(files: number, linesPerFile: number): GeneratedFile[] {
  const unitsPerFile = Math.max(1, Math.round(linesPerFile / 50));
  const result: GeneratedFile[] = [];
  for (let f = 0; f < files; f++) {
    const parts: string[] = [];
    for (let i = 0; i < unitsPerFile; i++) parts.push(unit(f * unitsPerFile + i, files * unitsPerFile / 10, f));
    if (f === 0) parts.push(scorecard(Math.min(files * unitsPerFile, 12)));
    result.push({ key: `file${String(f).padStart(3, '0')}.kpi`, text: parts.join('\n') });
  }
  return result;
}

function scorecard(kpis: number): string {
  const list = (from: number) => Array.from({ length: 3 }, (_, i) => `Kpi${(from + i) % kpis}`).join(', ');
  return [`scorecard Board "Board" {`, `  financial ${list(0)}`, `  customer  ${list(3)}`, `  internal  ${list(6)}`, `  learning  ${list(9)}`, `}`, ''].join('\n');
}

/** One file of about `lines` lines. */
export function generateFile(lines: number): GeneratedFile {
  return generateWorkspace(1, lines)[0]!;
}
