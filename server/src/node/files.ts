// The Node.js edge of the core: a FileSystem over `fs`, and the search for
// .kpi files (LANGUAGE.md section 1: every folder below the root, except
// node_modules and dot-folders). Shared by the CLI and the language server.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileKind, FileSystem } from '../language/service';

export const nodeFileSystem: FileSystem = {
  realPath(file) {
    try {
      return fs.realpathSync.native(file);
    } catch {
      return undefined;
    }
  },
  stat(file) {
    try {
      const s = fs.statSync(file);
      return { kind: kindOf(s), size: s.size };
    } catch {
      return undefined;
    }
  },
  readFile(file) {
    // Only a regular file is read. Opening a FIFO waits for a writer forever and
    // a device such as /dev/zero never ends, so anything else is refused before
    // it is opened (stat) and again on the opened descriptor (fstat), in case
    // the path was swapped in between; O_NONBLOCK keeps that open from waiting.
    let fd: number | undefined;
    try {
      if (!fs.statSync(file).isFile()) return undefined;
      fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
      if (!fs.fstatSync(fd).isFile()) return undefined;
      return fs.readFileSync(fd, 'utf8');
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeQuietly(fd);
    }
  },
};

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Nothing was written; a failed close loses nothing.
  }
}

function kindOf(s: fs.Stats): FileKind {
  if (s.isFile()) return 'file';
  if (s.isDirectory()) return 'directory';
  if (s.isFIFO()) return 'fifo';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'device';
  if (s.isSocket()) return 'socket';
  return 'other';
}

/**
 * Reads a text file as UTF-8 without its byte-order mark (editors drop it
 * too), or undefined when it cannot be read — or, given `within`, when it is a
 * link to a place outside that folder (the server passes the workspace root).
 */
export function readText(file: string, within?: string): string | undefined {
  if (within !== undefined) {
    const real = nodeFileSystem.realPath(file);
    if (real === undefined || !isInside(nodeFileSystem.realPath(within) ?? path.resolve(within), real)) return undefined;
  }
  return nodeFileSystem.readFile(file)?.replace(/^\uFEFF/, '');
}

/** Whether a folder name is skipped when searching for .kpi files. */
export function isSkippedFolder(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.');
}

/**
 * All .kpi files below `folder`, in no particular order. Unreadable folders are
 * skipped, and so is a symbolic link that leads outside `within` (default:
 * `folder` itself; the server passes the workspace root): as for data files,
 * nothing inside the workspace can make the search read elsewhere.
 */
export function findKpiFiles(folder: string, within: string = folder): string[] {
  const boundary = nodeFileSystem.realPath(within) ?? path.resolve(within);
  const start = nodeFileSystem.realPath(folder);
  const found: string[] = [];
  if (start !== undefined && isInside(boundary, start)) walk(folder, boundary, found, new Set());
  return found;
}

function walk(folder: string, boundary: string, found: string[], seen: Set<string>): void {
  let real: string;
  try {
    real = fs.realpathSync.native(folder);
  } catch {
    return;
  }
  if (seen.has(real)) return; // a symlink loop
  seen.add(real);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = nodeFileSystem.realPath(full);
      if (target === undefined || !isInside(boundary, target)) continue;
      const s = nodeFileSystem.stat(full);
      isDir = s?.kind === 'directory';
      isFile = s?.kind === 'file';
    }
    if (isDir && !isSkippedFolder(entry.name)) walk(full, boundary, found, seen);
    else if (isFile && entry.name.endsWith('.kpi')) found.push(full);
  }
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The workspace key of a file: its path relative to the root, with `/` separators. */
export function keyFor(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
