// The language server's entry (dist/server.cjs): picks the transport the
// editor asked for on the command line (--stdio, --node-ipc, --socket=N,
// --pipe=NAME), over the real file system, and starts listening. Everything
// else is createServer's (server.ts). The heap policy is set first, whoever
// started the process (node/heap.ts).
import { configureServerHeap } from './node/heap';
import { createConnection } from 'vscode-languageserver/node';
import { nodeFileSystem } from './node/files';
import { createServer, todayFromEnvironment } from './server';

configureServerHeap();
const connection = createConnection();
createServer(connection, nodeFileSystem, {
  // KPI_TODAY pins the date for tests and demos, as it does for the CLI.
  today: todayFromEnvironment(process.env['KPI_TODAY'], (message) => connection.console.warn(message)),
  processId: process.pid,
  workingDirectory: process.cwd(),
});
connection.listen();
