// An in-memory FileSystem for core tests: absolute POSIX paths, no links.
import * as path from 'node:path';
import type { FileSystem } from '../../server/src/language/workspace/data';

export class MemoryFileSystem implements FileSystem {
  readonly files = new Map<string, string>();

  constructor(files: Record<string, string> = {}) {
    for (const [file, text] of Object.entries(files)) this.files.set(path.resolve(file), text);
  }

  write(file: string, text: string): void {
    this.files.set(path.resolve(file), text);
  }

  delete(file: string): void {
    this.files.delete(path.resolve(file));
  }

  private isDirectory(dir: string): boolean {
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    for (const file of this.files.keys()) if (file.startsWith(prefix)) return true;
    return false;
  }

  realPath(file: string): string | undefined {
    const abs = path.resolve(file);
    return this.files.has(abs) || this.isDirectory(abs) ? abs : undefined;
  }

  stat(file: string): { kind: 'file' | 'directory' | 'other'; size: number } | undefined {
    const abs = path.resolve(file);
    const text = this.files.get(abs);
    if (text !== undefined) return { kind: 'file', size: Buffer.byteLength(text) };
    return this.isDirectory(abs) ? { kind: 'directory', size: 0 } : undefined;
  }

  readFile(file: string): string | undefined {
    return this.files.get(path.resolve(file));
  }
}
