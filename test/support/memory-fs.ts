// An in-memory FileSystem for core tests: absolute POSIX paths, no links.
// Special files (a FIFO, a device…) can be declared; they have no text, and
// `reads` lists every path the core asked to read, so a test can tell that
// something was refused without being opened.
import * as path from 'node:path';
import type { FileKind, FileSystem } from '../../server/src/language/workspace/data';

export class MemoryFileSystem implements FileSystem {
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
}
