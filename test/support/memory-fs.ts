// An in-memory FileSystem for core tests and the in-process server:
// absolute POSIX paths, no links. Special files (a FIFO, a device…) can be
// declared; they have no text, and `reads` lists every path the core asked to
// read, so a test can tell that something was refused without being opened.
import * as path from 'node:path';
import type { FileKind } from '../../server/src/language/workspace/data';
import type { FolderEntry, FolderFileSystem } from '../../server/src/node/files';

export class MemoryFileSystem implements FolderFileSystem {
  readonly files = new Map<string, string>();
  readonly specials = new Map<string, Exclude<FileKind, 'file' | 'directory'>>();
  readonly reads: string[] = [];

  constructor(files: Record<string, string> = {}) {
    for (const [file, text] of Object.entries(files)) this.files.set(path.resolve(file), text);
  }

  write(file: string, text: string): void {
    this.files.set(path.resolve(file), text);
  }

  delete(file: string): void {
    this.files.delete(path.resolve(file));
  }

  /** Declares a FIFO, a device or a socket at `file`. */
  special(file: string, kind: Exclude<FileKind, 'file' | 'directory'>): void {
    this.specials.set(path.resolve(file), kind);
  }

  private isDirectory(dir: string): boolean {
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    for (const file of [...this.files.keys(), ...this.specials.keys()]) if (file.startsWith(prefix)) return true;
    return false;
  }

  realPath(file: string): string | undefined {
    const abs = path.resolve(file);
    return this.files.has(abs) || this.specials.has(abs) || this.isDirectory(abs) ? abs : undefined;
  }

  stat(file: string): { kind: FileKind; size: number } | undefined {
    const abs = path.resolve(file);
    const special = this.specials.get(abs);
    if (special) return { kind: special, size: 0 };
    const text = this.files.get(abs);
    if (text !== undefined) return { kind: 'file', size: Buffer.byteLength(text) };
    return this.isDirectory(abs) ? { kind: 'directory', size: 0 } : undefined;
  }

  readFile(file: string): string | undefined {
    this.reads.push(path.resolve(file));
    return this.files.get(path.resolve(file));
  }

  readDirectory(folder: string): FolderEntry[] | undefined {
    const abs = path.resolve(folder);
    if (!this.isDirectory(abs)) return undefined;
    const prefix = abs.endsWith('/') ? abs : `${abs}/`;
    const entries = new Map<string, FolderEntry>();
    for (const file of [...this.files.keys(), ...this.specials.keys()]) {
      if (!file.startsWith(prefix)) continue;
      const rest = file.slice(prefix.length);
      const slash = rest.indexOf('/');
      const name = slash < 0 ? rest : rest.slice(0, slash);
      // Every path below is a file or special, so anything with a slash after the name is a folder.
      if (!entries.has(name)) entries.set(name, { name, kind: slash < 0 ? this.stat(file)!.kind : 'directory' });
    }
    return [...entries.values()];
  }
}
