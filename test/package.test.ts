// The npm package, as docs/ci.md tells users to install it: `npm install
// --save-dev kpi-scorecard`, then `npx kpi check`. The tarball `npm pack`
// makes from the built tree is installed into an empty project without the
// network (the bundles need no dependency), and its `kpi` must print what the
// repository's own dist/cli.cjs prints.
import * as assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertBuilt, CLI, REPO, TODAY } from './support/lsp';

interface PackedFile {
  path: string;
  size: number;
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  files?: string[];
  scripts: Record<string, string>;
  dependencies?: Record<string, string>;
};

/** npm without the network, the audit or the funding notice, failing on a non-zero status. */
function npm(cwd: string, args: string[]): SpawnSyncReturns<string> {
  const result = spawnSync('npm', [...args, '--offline', '--no-audit', '--no-fund'], { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  assert.equal(result.status, 0, `npm ${args.join(' ')}:\n${result.stderr}`);
  return result;
}

describe('the npm package (npm install --save-dev kpi-scorecard, then npx kpi)', function () {
  this.timeout(120_000);
  let temp: string;
  let files: PackedFile[];
  let tarball: string;

  before(function () {
    assertBuilt(CLI);
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-package-'));
    // The tree is built already (npm test builds before the unit tests); prepack would build it again.
    const packed = npm(REPO, ['pack', '--ignore-scripts', '--json', '--pack-destination', temp]);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: PackedFile[] }[];
    files = info!.files;
    tarball = path.join(temp, info!.filename);
  });

  after(function () {
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
  });

  it('builds its bundles before it is packed, and needs no dependency at run time', function () {
    assert.match(manifest.scripts['prepack'] ?? '', /esbuild\.mjs --production/);
    assert.deepEqual(manifest.dependencies ?? {}, {}, 'the bundles carry their dependencies');
  });

  it('holds the commands, the .kpirc.json schema and the documents, and none of the sources, tests or source maps', function () {
    const paths = files.map((f) => f.path).sort();
    for (const wanted of [...Object.values(manifest.bin), 'syntaxes/kpirc.schema.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'package.json']) {
      assert.ok(paths.includes(wanted), `${wanted} is in the package: ${paths.join(', ')}`);
    }
    const unwanted = paths.filter((p) => /^(server|client|test|bench|scripts|docs|examples|\.ci|\.prof|node_modules|out)\//.test(p) || p.endsWith('.map') || p.endsWith('.tgz') || p.endsWith('.vsix'));
    assert.deepEqual(unwanted, []);
  });

  it('installs without the network, and its kpi checks a workspace as dist/cli.cjs does', function () {
    const project = path.join(temp, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'uses-kpi', private: true, version: '1.0.0' }));
    npm(project, ['install', '--save-dev', tarball]);
    fs.cpSync(path.join(REPO, 'examples'), path.join(project, 'models'), { recursive: true });

    const run = (command: string, args: string[]) => spawnSync(command, args, { cwd: project, encoding: 'utf8', env: { ...process.env, KPI_TODAY: TODAY, NO_COLOR: '1' } });
    const installed = run('npx', ['--no', '--', 'kpi', 'check', 'models']);
    const repository = run(process.execPath, [CLI, 'check', 'models']);
    assert.equal(installed.stderr, repository.stderr);
    assert.equal(installed.status, repository.status);
    assert.equal(installed.stdout, repository.stdout);
    assert.match(installed.stdout, /\d+ problems? \(/, 'the examples have problems to report');

    const version = run('npx', ['--no', '--', 'kpi', '--version']);
    assert.equal(version.stdout.trim(), manifest.version);
    const dependency = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
    assert.ok(dependency.devDependencies?.['kpi-scorecard'], 'saved as a development dependency');
  });
});
