// Crash recovery and clean exits. The extension restarts a server that dies
// (client/src/restartPolicy.ts decides how often); the server itself must end
// when its editor goes away, so that no orphan keeps running. The extension-host
// suite (test/e2e/suite/recovery.ts) kills a real server mid-session.
import * as assert from 'node:assert/strict';
import { MAX_RESTARTS, RESTART_WINDOW_MS, RestartPolicy } from '../client/src/restartPolicy';
import { endSession, LspClient, ORG, tempWorkspace, uriOf } from './support/lsp';

describe('crash recovery', () => {
  describe('the restart policy', () => {
    it('restarts up to the limit within the window, then gives up', () => {
      const policy = new RestartPolicy();
      const decisions = Array.from({ length: MAX_RESTARTS + 1 }, (_, i) => policy.crashed(i * 1000));
      assert.deepEqual(decisions, [...Array<boolean>(MAX_RESTARTS).fill(true), false]);
      assert.match(policy.gaveUpMessage(), /5 times in 3 minutes/);
    });

    it('forgets crashes older than the window', () => {
      const policy = new RestartPolicy(2, 1000);
      assert.equal(policy.crashed(0), true);
      assert.equal(policy.crashed(10), true);
      // Both earlier crashes are more than a window ago.
      assert.equal(policy.crashed(2000), true);
      assert.equal(policy.crashed(2010), true);
      assert.equal(policy.crashed(2020), false);
      assert.equal(RESTART_WINDOW_MS, 3 * 60_000);
    });

    it('starts afresh after a restart the user asked for', () => {
      const policy = new RestartPolicy(1, 1000);
      assert.equal(policy.crashed(0), true);
      assert.equal(policy.crashed(1), false);
      policy.reset();
      assert.equal(policy.crashed(2), true);
    });
  });

  describe('the server process', () => {
    let root: string | undefined;
    let client: LspClient | undefined;

    beforeEach(async () => {
      root = tempWorkspace({ 'org.kpi': ORG });
      client = new LspClient();
      await client.initialize(root);
      // A working session: the folder was scanned and published.
      await client.waitForDiagnostics(uriOf(`${root}/org.kpi`));
    });

    afterEach(async () => {
      await endSession(client, root);
      client = root = undefined;
    });

    it('exits with 0 on shutdown then exit', async () => {
      await client!.request('shutdown', null);
      await client!.notify('exit');
      assert.equal(await client!.whenExited(), 0);
    });

    it('exits with 1 on exit without shutdown (LSP: the editor went wrong)', async () => {
      await client!.notify('exit');
      assert.equal(await client!.whenExited(), 1);
    });

    it('exits when its input closes (the editor died without a goodbye)', async () => {
      client!.closeInput();
      const code = await client!.whenExited();
      assert.notEqual(code, null, 'it ended by itself, not by a signal');
    });
  });
});
