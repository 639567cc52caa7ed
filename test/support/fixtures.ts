// Reading fixture workspaces and their inline expectations.
//
// An expectation is a comment line `//   ^^^^ severity code` under the line it
// marks (carets give the columns), or `// @expect L:C-L:C severity code`.
// Directives: `// @today YYYY-MM-DD`, `// @codes a b` (compare only these codes),
// `// @untrusted` (limited mode: data files are not read).
// `expected.txt` beside a folder fixture lists `file:line:col severity code`
// for files that cannot hold comments (such as .kpirc.json).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findKpiFiles, keyFor } from '../../server/src/node/files';

export interface Expectation {
  file: string;
  line: number;
  column: number;
  /** Undefined when only the start is given (expected.txt). */
  endLine?: number;
  endColumn?: number;
  severity: string;
  code: string;
}

export interface Fixture {
  name: string;
  root: string;
  files: { key: string; path: string; text: string }[];
  configText: string | undefined;
  today: string;
  /** Codes to compare; undefined = all. */
  codes: Set<string> | undefined;
  /** Checked as an editor's untrusted workspace (no data file is read). */
  untrusted: boolean;
  expected: Expectation[];
}

const CARETS = /^(\s*\/\/\s*)(\^+)\s+(error|warning|information|hint)\s+([a-z-]+)\s*$/;
const EXPECT = /^\s*\/\/\s*@expect\s+(\d+):(\d+)-(\d+):(\d+)\s+(error|warning|information|hint)\s+([a-z-]+)\s*$/;
const TODAY = /^\s*\/\/\s*@today\s+(\d{4}-\d{2}-\d{2})\s*$/;
const CODES = /^\s*\/\/\s*@codes\s+(.+)$/;
const UNTRUSTED = /^\s*\/\/\s*@untrusted\s*$/;

/**
 * All fixtures below `dir`, grouped in folders (one per rule code or topic):
 * in each group, every `.kpi` file is a one-file workspace and every folder a
 * multi-file workspace.
 */
export function loadFixtures(dir: string, defaultCodes: (group: string) => Set<string> | undefined): Fixture[] {
  const result: Fixture[] = [];
  const sorted = (folder: string) => fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const group of sorted(dir)) {
    if (!group.isDirectory()) continue;
    const groupDir = path.join(dir, group.name);
    for (const entry of sorted(groupDir)) {
      const full = path.join(groupDir, entry.name);
      const name = `${group.name}/${entry.name}`;
      if (entry.isFile() && entry.name.endsWith('.kpi')) result.push(loadFixture(name, groupDir, [full], defaultCodes(group.name), false));
      else if (entry.isDirectory()) result.push(loadFixture(name, full, findKpiFiles(full), defaultCodes(group.name), true));
    }
  }
  return result;
}

function loadFixture(name: string, root: string, files: string[], codes: Set<string> | undefined, isFolder: boolean): Fixture {
  const fixture: Fixture = { name, root, files: [], configText: undefined, today: '2026-11-22', codes, untrusted: false, expected: [] };
  const configPath = path.join(root, '.kpirc.json');
  if (isFolder && fs.existsSync(configPath)) fixture.configText = fs.readFileSync(configPath, 'utf8');
  for (const file of files.sort()) {
    const text = fs.readFileSync(file, 'utf8');
    const key = keyFor(root, file);
    fixture.files.push({ key, path: file, text });
    parseExpectations(fixture, key, text);
  }
  const extra = path.join(root, 'expected.txt');
  if (isFolder && fs.existsSync(extra)) {
    for (const line of fs.readFileSync(extra, 'utf8').split(/\r?\n/)) {
      const m = /^(\S+):(\d+):(\d+)\s+(error|warning|information|hint)\s+([a-z-]+)\s*$/.exec(line.trim());
      if (m) fixture.expected.push({ file: m[1]!, line: Number(m[2]), column: Number(m[3]), severity: m[4]!, code: m[5]! });
    }
  }
  return fixture;
}

function parseExpectations(fixture: Fixture, key: string, text: string): void {
  const lines = text.split(/\r\n|\r|\n/);
  let target = -1;
  lines.forEach((line, i) => {
    let m: RegExpExecArray | null;
    if ((m = CARETS.exec(line))) {
      const start = m[1]!.length;
      fixture.expected.push({ file: key, line: target + 1, column: start + 1, endLine: target + 1, endColumn: start + m[2]!.length + 1, severity: m[3]!, code: m[4]! });
      return;
    }
    if ((m = EXPECT.exec(line))) {
      fixture.expected.push({ file: key, line: Number(m[1]), column: Number(m[2]), endLine: Number(m[3]), endColumn: Number(m[4]), severity: m[5]!, code: m[6]! });
    } else if ((m = TODAY.exec(line))) {
      fixture.today = m[1]!;
    } else if ((m = CODES.exec(line))) {
      fixture.codes = new Set(m[1]!.split(/[\s,]+/).filter(Boolean));
    } else if (UNTRUSTED.test(line)) {
      fixture.untrusted = true;
    }
    target = i;
  });
}

/** One line per diagnostic, comparable as text so a failure shows a readable diff. */
export function formatExpectation(e: Expectation): string {
  const range = e.endLine === undefined ? `${e.line}:${e.column}` : `${e.line}:${e.column}-${e.endLine}:${e.endColumn}`;
  return `${e.file}:${range} ${e.severity} ${e.code}`;
}
