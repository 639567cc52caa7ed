// CSV data files named by a kpi's `data` property (LANGUAGE.md section 3.3).
//
// A data path is relative to the .kpi file that names it and must stay inside
// the workspace root, symlinks included: nothing a .kpi file says can make the
// checker read outside the workspace. Files are read through a FileSystem
// supplied by the edge (CLI, server, tests), so this module does no I/O itself.
import * as path from 'node:path';
import { parsePeriod } from '../model/periods';
import type { DataRow } from '../model/status';

export type { DataRow };

/** What a path is, symlinks followed. Only a `file` is ever read as data. */
export type FileKind = 'file' | 'directory' | 'fifo' | 'device' | 'socket' | 'other';

export interface FileSystem {
  /** The canonical absolute path (symlinks resolved), or undefined when nothing is there. */
  realPath(file: string): string | undefined;
  /** What is at an absolute path, without opening it, or undefined when nothing is. */
  stat(file: string): { kind: FileKind; size: number } | undefined;
  /** The text of a regular file, or undefined when it cannot be read or is not a regular file. */
  readFile(file: string): string | undefined;
}

export interface DataFile {
  /** Rows that parsed; they count even when other rows are malformed. */
  rows: DataRow[];
  /** The one message for `bad-data-file`, when anything is wrong. */
  problem?: string;
  /**
   * Limited mode (an untrusted workspace): the path is fine as written but the
   * file was deliberately not opened, so its rows are unknown (not empty).
   */
  notRead?: true;
}

const NOT_A_FILE: Record<Exclude<FileKind, 'file'>, string> = {
  directory: 'is a folder',
  fifo: 'is a named pipe (FIFO)',
  device: 'is a device',
  socket: 'is a socket',
  other: 'is not a regular file',
};

/** Larger files are refused rather than read into memory. */
export const MAX_DATA_FILE_BYTES = 20 * 1024 * 1024;

/**
 * Where a `data` path points: an absolute path inside `root`, or a problem.
 * `fromDir` is the folder of the .kpi file, absolute. Without a FileSystem
 * (limited mode) only the path as written is checked and nothing on disk is
 * touched: the answer is the lexical path, symlinks not resolved.
 */
export function resolveDataPath(root: string, fromDir: string, written: string, fs: FileSystem | undefined): { file: string } | { problem: string } {
  if (written.trim() === '') return { problem: 'The data path is empty; write the CSV file path relative to this .kpi file.' };
  if (path.isAbsolute(written) || /^[A-Za-z]:[\\/]/.test(written) || written.startsWith('\\')) {
    return { problem: `The data path "${written}" is absolute; write it relative to this .kpi file, inside the workspace.` };
  }
  if (written.includes('\0')) return { problem: 'The data path contains a NUL character.' };
  const file = path.resolve(fromDir, written);
  if (!isInside(root, file)) return { problem: `The data path "${written}" points outside the workspace; keep data files inside the workspace folder.` };
  if (!fs) return { file };
  const real = fs.realPath(file);
  if (real === undefined) return { problem: `The data file "${written}" does not exist; create it with the header period,value or fix the path.` };
  const realRoot = fs.realPath(root) ?? root;
  if (!isInside(realRoot, real)) return { problem: `The data file "${written}" is a link to a place outside the workspace; it is not read.` };
  return { file: real };
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Limited mode: the data file as far as it can be known without opening it —
 * a problem with the path as written (absolute, outside the workspace), or
 * `notRead`. Nothing on disk is touched, not even to see whether it exists.
 */
export function unreadDataFile(root: string, fromDir: string, written: string): DataFile {
  const checked = resolveDataPath(root, fromDir, written, undefined);
  return 'problem' in checked ? { rows: [], problem: checked.problem } : { rows: [], notRead: true };
}

/** Reads and parses a data file at a path already checked by resolveDataPath. */
export function loadDataFile(file: string, written: string, fs: FileSystem): DataFile {
  const info = fs.stat(file);
  if (!info) return { rows: [], problem: `The data file "${written}" does not exist; create it or fix the path.` };
  // Decided on stat alone: a FIFO would block the reader forever, a device may never end.
  if (info.kind !== 'file') return { rows: [], problem: `The data path "${written}" ${NOT_A_FILE[info.kind]}, not a CSV file; it is not read.` };
  if (info.size > MAX_DATA_FILE_BYTES) {
    return { rows: [], problem: `The data file "${written}" is larger than ${MAX_DATA_FILE_BYTES / 1024 / 1024} MB and is not read; keep one row per period.` };
  }
  const text = fs.readFile(file);
  if (text === undefined) return { rows: [], problem: `The data file "${written}" cannot be read.` };
  return parseCsv(text, written);
}

/** Parses `period,value` CSV text. Extra columns are ignored; blank lines are skipped. */
export function parseCsv(text: string, written: string): DataFile {
  const rows: DataRow[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let headerSeen = false;
  let bad = 0;
  let firstBad: string | undefined;
  const fail = (lineNumber: number, why: string) => {
    bad++;
    firstBad ??= `line ${lineNumber}: ${why}`;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const cells = splitCsvLine(line);
    if (!headerSeen) {
      headerSeen = true;
      const [a, b] = cells.map((c) => c.trim().toLowerCase());
      if (a === 'period' && b === 'value') continue;
      return { rows, problem: `The data file "${written}" must start with the header period,value (line ${i + 1} is ${quote(line)}).` };
    }
    if (cells.length < 2) {
      fail(i + 1, `${quote(line)} has no value column`);
      continue;
    }
    const periodText = cells[0]!.trim();
    const valueText = cells[1]!.trim();
    const period = parsePeriod(periodText);
    if (period === undefined) {
      fail(i + 1, `${quote(periodText)} is not a period`);
      continue;
    }
    if (typeof period === 'string') {
      fail(i + 1, period);
      continue;
    }
    if (!/^-?\d+(?:\.\d+)?$/.test(valueText) || !Number.isFinite(Number(valueText))) {
      fail(i + 1, looksLikeFormula(valueText) ? `${quote(valueText)} is a spreadsheet formula, not a number (formulas are never evaluated)` : `${quote(valueText)} is not a number`);
      continue;
    }
    rows.push({ period, value: Number(valueText) });
  }
  if (!headerSeen) return { rows, problem: `The data file "${written}" is empty; start it with the header period,value.` };
  if (bad > 0) {
    return { rows, problem: `The data file "${written}" has ${bad} malformed row${bad === 1 ? '' : 's'}; the first is ${firstBad}. Correct or delete ${bad === 1 ? 'it' : 'them'}; the other rows count.` };
  }
  return { rows };
}

/**
 * Whether a cell is what a spreadsheet would run as a formula (`=cmd|' /C calc'!A0`,
 * `@SUM(A1)`, `-2+3+cmd|x`), so the message can say why it is refused. Values
 * are only ever read as plain numbers, so no formula is evaluated or passed on.
 */
function looksLikeFormula(cell: string): boolean {
  return /^[=@]/.test(cell) || /^[+-].*[-+*/^&|!(=]/.test(cell);
}

/** Splits one CSV line; double-quoted cells may hold commas and doubled quotes. */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

function quote(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return `'${shown.replace(/[\u0000-\u001f\u007f]/g, '?')}'`;
}
