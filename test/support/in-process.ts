// The language server in the test's own process: createServer over a pair
// of in-memory streams and an in-memory file system, behind the same
// LspClient the stdio tests use. No bundle, no child process, no disk: a test
// sets up files in a MemoryFileSystem and talks LSP to the real handlers.
import { PassThrough } from 'node:stream';
import { createConnection, type WatchDog } from 'vscode-languageserver';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { todayFrom } from '../../server/src/language/model/periods';
import type { FolderFileSystem } from '../../server/src/node/files';
import { createServer, type ServerOptions } from '../../server/src/server';
import { LspClient, TODAY, type ServerTransport } from './lsp';
import { MemoryFileSystem } from './memory-fs';

/** Where in-process tests put their workspace folder in the MemoryFileSystem. */
export const MEMORY_ROOT = '/workspace';

/**
 * Starts createServer on `fileSystem` with today pinned to TODAY. `exit`
 * resolves `exited` (0 after `shutdown`, else 1) where the bundled server
 * would end its process; the server then simply receives nothing more.
 */
export function inProcessServer(fileSystem: FolderFileSystem, options: Partial<ServerOptions> = {}): ServerTransport {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  let exit!: (code: number | null) => void;
  const exited = new Promise<number | null>((resolve) => (exit = resolve));
  const watchDog: WatchDog = {
    shutdownReceived: false,
    // The bundled server watches the editor's process id; here the editor is this process.
    initialize: () => undefined,
    exit: (code) => exit(code),
  };
  const connection = createConnection((logger) => createProtocolConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient), logger), watchDog);
  createServer(connection, fileSystem, { today: () => todayFrom(TODAY)!, processId: process.pid, workingDirectory: '/', ...options });
  connection.listen();
  // As the bundled server does when its standard input ends.
  toServer.once('end', () => exit(watchDog.shutdownReceived ? 0 : 1));
  return {
    reader: new StreamMessageReader(toClient),
    writer: new StreamMessageWriter(toServer),
    exited,
    closeInput: () => toServer.end(),
    kill: () => exit(null),
    pid: undefined,
    output: () => '',
  };
}

/** An LspClient talking to an in-process server over a MemoryFileSystem holding `files` (paths relative to MEMORY_ROOT). */
export function inProcessClient(files: Record<string, string>, options: Partial<ServerOptions> = {}): { client: LspClient; fileSystem: MemoryFileSystem } {
  const fileSystem = new MemoryFileSystem(Object.fromEntries(Object.entries(files).map(([name, text]) => [`${MEMORY_ROOT}/${name}`, text])));
  return { client: new LspClient({ transport: inProcessServer(fileSystem, options) }), fileSystem };
}
