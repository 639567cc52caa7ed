// The extension's start-up and `kpi-language-server --stdio` run the server
// with the same heap growth policy (issue 15, "Long sessions"): the server sets
// it on itself as it starts, whoever started it; the extension adds only the
// young generation's size, which must be on the command line. How much memory that
// saves is measured by the benchmark (bench/longSession.ts), never asserted.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { configureServerHeap, isHeapOption, SERVER_HEAP_FLAGS } from '../server/src/node/heap';
import { SERVER_EXEC_ARGV, serverExecArgv } from '../server/src/protocol';
import { REPO } from './support/lsp';

describe('memory settings: the extension and kpi-language-server bound the heap alike', () => {
  it('recognises the options that size or collect the heap, and only those', () => {
    for (const option of ['--max-semi-space-size=4', '--max-old-space-size=1024', '--max_old_space_size=512', '--heap-growing-percent=50', '--optimize-for-size', '--expose-gc', '--initial-old-space-size=64']) {
      assert.ok(isHeapOption(option), option);
    }
    for (const option of ['--nolazy', '--inspect=6009', '--enable-source-maps', '--stack-size=2000']) assert.ok(!isHeapOption(option), option);
  });

  it('the extension adds only the young-generation size, which a process cannot set on itself, in run and in debug mode', () => {
    assert.deepEqual(SERVER_EXEC_ARGV, ['--max-semi-space-size=4']);
    assert.deepEqual(serverExecArgv('run'), [...SERVER_EXEC_ARGV]);
    assert.deepEqual(serverExecArgv('debug').filter(isHeapOption), [...SERVER_EXEC_ARGV]);
    for (const flag of SERVER_HEAP_FLAGS) assert.ok(!SERVER_EXEC_ARGV.some((option) => option.startsWith(flag.replace(/=.*$/, ''))), `${flag} is set by the server itself`);
  });

  it('the server sets its heap policy on itself: every flag of SERVER_HEAP_FLAGS, each a heap option', () => {
    const set: string[] = [];
    assert.deepEqual(configureServerHeap((flag) => set.push(flag)), SERVER_HEAP_FLAGS);
    assert.deepEqual(set, [...SERVER_HEAP_FLAGS]);
    assert.ok(set.length > 0);
    for (const flag of set) assert.ok(isHeapOption(flag), flag);
  });

  it("the server's entry sets the heap policy before it creates the connection, on every start-up path", () => {
    const file = path.join(REPO, 'server', 'src', 'main.ts');
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const statements = source.statements.filter((s) => !ts.isImportDeclaration(s));
    const first = statements[0];
    assert.ok(first && ts.isExpressionStatement(first) && ts.isCallExpression(first.expression), 'the first statement of main.ts is a call');
    assert.equal(first.expression.expression.getText(source), 'configureServerHeap');
    // The entry has no branch by transport or caller before it: the call is unconditional.
    assert.equal(first.parent, source);
  });

  it("this Node's V8 knows every flag of SERVER_HEAP_FLAGS (an unknown one would be ignored without a word)", () => {
    const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
    for (const flag of SERVER_HEAP_FLAGS) {
      const name = flag.replace(/=.*$/, '');
      assert.ok(options.includes(`  ${name} `), `${name} is not among node --v8-options`);
    }
  });
});
