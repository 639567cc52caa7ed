// A small LSP test client: it speaks JSON-RPC to a language server and
// collects every published diagnostic set so a test can wait for the one it
// expects. By default it starts the BUNDLED server (`node dist/server.cjs
// --stdio`); `test/support/in-process.ts` gives it createServer in this
// process instead, over in-memory streams.
//
// Waiting is event-driven: `waitForDiagnostics` resolves on the notification
// that satisfies its predicate. Its timeout exists only to turn "never
// happened" into a readable failure, never to let time pass.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  RequestType0,
  StreamMessageReader,
  StreamMessageWriter,
  type CancellationToken,
  type MessageConnection,
  type MessageReader,
  type MessageWriter,
  type NotificationType,
  type RequestType,
} from 'vscode-languageserver-protocol/node';
import type {
  Diagnostic,
  FileEvent,
  InitializeResult,
  Position,
  PublishDiagnosticsParams,
  Range,
  Registration,
  RegistrationParams,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';

export const REPO = path.resolve(import.meta.dirname, '..', '..');
export const SERVER = path.join(REPO, 'dist', 'server.cjs');
export const CLI = path.join(REPO, 'dist', 'cli.cjs');
/** The date every test pins, so staleness and SOP reviews never depend on the clock. */
export const TODAY = '2026-11-22';

/** A function, a role in it, and a role nothing uses (an `unused-declaration` hint). */
export const ORG = `function Sales "Sales"
role Analyst "Analyst" in Sales
role Spare "Spare role"
`;
const DEFAULT_TIMEOUT = 10_000;

/**
 * Writes `files` (path relative to the root → text) into a new folder under
 * the system's temporary folder and returns its real path.
 */
export function tempWorkspace(files: Record<string, string>, prefix = 'kpi-test-'): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  writeFiles(root, files);
  return root;
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

export function removeWorkspace(root: string | undefined): void {
  if (root) fs.rmSync(root, { recursive: true, force: true });
}

/** Fails with a clear message when the bundles are missing (`npm test` builds first). */
export function assertBuilt(...bundles: string[]): void {
  for (const bundle of bundles.length > 0 ? bundles : [SERVER]) {
    if (!fs.existsSync(bundle)) throw new Error(`${path.relative(REPO, bundle)} does not exist: run npm run build first`);
  }
}

/** After a test: stops its server and deletes its folder (either may be missing). */
export async function endSession(client: LspClient | undefined, root: string | undefined): Promise<void> {
  await client?.shutdown();
  removeWorkspace(root);
}

export function uriOf(file: string): string {
  return pathToFileURL(file).toString();
}

/** The 0-based position of `offset` in `text` (UTF-16 code units, like LSP). */
export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** The range of the `occurrence`-th (0-based) occurrence of `needle` in `text`. */
export function rangeOf(text: string, needle: string, occurrence = 0): Range {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" (occurrence ${occurrence}) is not in the text`);
  }
  return { start: positionAt(text, at), end: positionAt(text, at + needle.length) };
}

/** One line per diagnostic, so a failing comparison prints a readable diff. */
export function describeDiagnostic(d: Diagnostic): string {
  const r = d.range;
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} ${String(d.code)}`;
}

/** The server end a client talks to: a child process over stdio, or createServer in this process. */
export interface ServerTransport {
  reader: MessageReader;
  writer: MessageWriter;
  /** Resolves with the exit code when the server ends (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Ends the server's input, as an editor that goes away without a goodbye. */
  closeInput(): void;
  /** Ends the server at once (after `shutdown` went unanswered). */
  kill(): void;
  /** The server's process id, when it runs in a process of its own. */
  pid: number | undefined;
  /** The latest of what the server wrote outside the protocol (stderr), for failure messages. */
  output(): string;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Go to node before the server (the benchmark's `--profile` passes `--cpu-prof`). */
  nodeArgs?: string[];
  /** Another server bundle than dist/server.cjs (the benchmark's before/after comparisons). */
  server?: string;
}

/** Starts the bundled server (`node dist/server.cjs --stdio`) with today pinned to TODAY. */
export function spawnServer(options: SpawnOptions = {}): ServerTransport {
  const server = options.server ?? SERVER;
  assertBuilt(server);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), server, '--stdio'], {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, KPI_TODAY: TODAY, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  // Writing to a server that already died must fail the test, not the process.
  child.stdin.on('error', () => undefined);
  return {
    reader: new StreamMessageReader(child.stdout),
    writer: new StreamMessageWriter(child.stdin),
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    closeInput: () => child.stdin.end(),
    kill: () => child.kill('SIGKILL'),
    pid: child.pid,
    output: () => stderr,
  };
}

interface Waiter {
  uri: string;
  predicate: (params: PublishDiagnosticsParams) => boolean;
  resolve: (params: PublishDiagnosticsParams) => void;
  reject: (error: Error) => void;
}

export class LspClient {
  /** uri → the latest published diagnostics for it. */
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every publishDiagnostics notification, in arrival order. */
  readonly history: PublishDiagnosticsParams[] = [];
  /** Registrations the server asked for with client/registerCapability. */
  readonly registrations: Registration[] = [];
  /** window/logMessage and window/showMessage texts. */
  readonly logs: string[] = [];
  /** Resolves on the first client/registerCapability request. */
  readonly registered: Promise<Registration[]>;

  private readonly transport: ServerTransport;
  private readonly connection: MessageConnection;
  private readonly waiters = new Set<Waiter>();
  private exitCode: number | null | undefined;

  /** Starts the bundled server over stdio, or talks to `transport` (an in-process server). */
  constructor(options: SpawnOptions | { transport: ServerTransport } = {}) {
    this.transport = 'transport' in options ? options.transport : spawnServer(options);
    void this.transport.exited.then((code) => {
      this.exitCode = code;
      for (const waiter of this.waiters) waiter.reject(new Error(`the language server exited (code ${code}) while a test waited for diagnostics of ${waiter.uri}${this.context()}`));
      this.waiters.clear();
    });

    this.connection = createMessageConnection(this.transport.reader, this.transport.writer);
    this.connection.onError(() => undefined);
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => this.published(params));
    this.connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
    });
    this.connection.onNotification('window/showMessage', (params: { message: string }) => {
      this.logs.push(params.message);
    });
    let registered!: (registrations: Registration[]) => void;
    this.registered = new Promise((resolve) => (registered = resolve));
    this.connection.onRequest('client/registerCapability', (params: RegistrationParams) => {
      this.registrations.push(...params.registrations);
      registered(params.registrations);
      return null;
    });
    // Any other server → client request (configuration, progress…) gets a neutral answer.
    this.connection.onRequest(() => null);
    this.connection.listen();
  }

  /**
   * Sends initialize (one workspace folder, several for a multi-root
   * workspace, or none when `rootFolder` is null, as an editor does for a
   * single file; dynamic file watching) and initialized.
   */
  async initialize(rootFolder: string | readonly string[] | null, initializationOptions?: unknown): Promise<InitializeResult> {
    const folders = rootFolder === null ? [] : typeof rootFolder === 'string' ? [rootFolder] : rootFolder;
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      ...(initializationOptions === undefined ? {} : { initializationOptions }),
      clientInfo: { name: 'kpi-test-client' },
      rootUri: folders[0] === undefined ? null : uriOf(folders[0]),
      workspaceFolders: rootFolder === null ? null : folders.map((folder) => ({ uri: uriOf(folder), name: path.basename(folder) })),
      capabilities: {
        workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true, tagSupport: { valueSet: [1, 2] }, codeDescriptionSupport: true } },
      },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** The server's process id (the benchmark reads its memory); undefined in process. */
  get pid(): number | undefined {
    return this.transport.pid;
  }

  /** Any request, for the editor features (completion, hover, rename…); cancelling `token` sends $/cancelRequest. */
  request<T>(method: string, params: unknown, token?: CancellationToken): Promise<T> {
    return token ? this.connection.sendRequest<T>(method, params, token) : this.connection.sendRequest<T>(method, params);
  }

  /** A custom request of server/src/protocol.ts, typed as the server and the extension declare it. */
  send<P, R>(type: RequestType<P, R, void>, params: P): Promise<R>;
  send<R>(type: RequestType0<R, void>): Promise<R>;
  send<P, R>(type: RequestType<P, R, void> | RequestType0<R, void>, params?: P): Promise<R> {
    // The overloads above check the parameters; jsonrpc's own cannot relate a generic P to them.
    return type instanceof RequestType0 ? this.connection.sendRequest(type) : this.connection.sendRequest(type, params as never);
  }

  /** Calls `handler` on every `type` notification from the server (a custom one of server/src/protocol.ts). */
  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): void {
    this.connection.onNotification(type, handler);
  }

  /** Any notification, sent as is (for messages the helpers below do not cover). */
  async notify(method: string, params?: unknown): Promise<void> {
    await (params === undefined ? this.connection.sendNotification(method) : this.connection.sendNotification(method, params));
  }

  /** Closes the server's standard input, as an editor that goes away without a goodbye. */
  closeInput(): void {
    this.transport.closeInput();
  }

  /** Resolves with the exit code when the server process ends (null when a signal ended it). */
  whenExited(): Promise<number | null> {
    return this.transport.exited;
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'kpi', version, text } });
  }

  async change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  async watchedFilesChanged(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes });
  }

  /**
   * Resolves with the first diagnostic set published for `uri` that satisfies
   * `predicate` — the latest one already received, or one still to come.
   */
  waitForDiagnostics(uri: string, predicate: (params: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = DEFAULT_TIMEOUT): Promise<PublishDiagnosticsParams> {
    const latest = this.diagnostics.get(uri);
    if (latest && predicate(latest)) return Promise.resolve(latest);
    if (this.exitCode !== undefined) return Promise.reject(new Error(`the language server has exited (code ${this.exitCode})${this.context()}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = this.diagnostics.get(uri);
        const got = seen ? `the latest set (version ${seen.version ?? '-'}) was:\n    ${seen.diagnostics.map(describeDiagnostic).join('\n    ') || '(empty)'}` : 'nothing was ever published for it';
        reject(new Error(`no diagnostics satisfying ${predicate.toString()} were published for ${uri} within ${timeoutMs} ms; ${got}${this.context()}`));
      }, timeoutMs);
      const waiter: Waiter = {
        uri,
        predicate,
        resolve: (params) => {
          clearTimeout(timer);
          resolve(params);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Sends shutdown and exit; kills the server if it does not end by itself. */
  async shutdown(): Promise<void> {
    if (this.exitCode === undefined) {
      const deadline = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
      try {
        await Promise.race([this.connection.sendRequest('shutdown'), deadline(2000)]);
        await this.connection.sendNotification('exit');
      } catch {
        // The connection is already gone; the kill below takes care of the process.
      }
      await Promise.race([this.transport.exited, deadline(2000)]);
      if (this.exitCode === undefined) {
        this.transport.kill();
        await this.transport.exited;
      }
    }
    this.connection.dispose();
  }

  private published(params: PublishDiagnosticsParams): void {
    this.diagnostics.set(params.uri, params);
    this.history.push(params);
    for (const waiter of [...this.waiters]) {
      if (waiter.uri !== params.uri) continue;
      let ok = false;
      try {
        ok = waiter.predicate(params);
      } catch (error) {
        this.waiters.delete(waiter);
        waiter.reject(error as Error);
        continue;
      }
      if (ok) {
        this.waiters.delete(waiter);
        waiter.resolve(params);
      }
    }
  }

  private context(): string {
    const parts: string[] = [];
    if (this.logs.length > 0) parts.push(`server log:\n  ${this.logs.slice(-5).join('\n  ')}`);
    const output = this.transport.output();
    if (output) parts.push(`server stderr:\n  ${output.trim()}`);
    return parts.length > 0 ? `\n${parts.join('\n')}` : '';
  }
}

/** The codes of a published set, sorted, for compact assertions. */
export function codes(params: PublishDiagnosticsParams | undefined): string[] {
  return (params?.diagnostics ?? []).map((d) => String(d.code)).sort();
}

export function hasCode(code: string): (params: PublishDiagnosticsParams) => boolean {
  const predicate = (params: PublishDiagnosticsParams) => params.diagnostics.some((d) => d.code === code);
  // The failure message prints the predicate: make it say what it waits for.
  predicate.toString = () => `"has ${code}"`;
  return predicate;
}

export function lacksCode(code: string): (params: PublishDiagnosticsParams) => boolean {
  const predicate = (params: PublishDiagnosticsParams) => !params.diagnostics.some((d) => d.code === code);
  predicate.toString = () => `"has no ${code}"`;
  return predicate;
}
