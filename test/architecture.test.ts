// The core's layers depend one way (docs/ARCHITECTURE.md, "Map" and
// "Invariants"). This walks the import graph of server/src and client/src,
// type imports and re-exports included, and fails on an import that goes up
// a layer, on a cycle between folders of the core, on a core file importing
// the editor or the file system, and on an edge reaching past service.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { shortestPath, stronglyConnectedComponents } from '../server/src/language/workspace/graph';

const ROOT = path.join(import.meta.dirname, '..');
const SOURCES = ['server/src', 'client/src'];
const CORE = 'server/src/language';

/**
 * The layers of the core, lowest first: a file may import from its own layer
 * and the ones below. Each entry is a folder of the core or a file at its
 * root. `text.ts` (line index, text changes) is a leaf utility under all.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['text.ts', 'syntax'],
  ['model'],
  ['workspace'],
  ['analysis'],
  ['checks'],
  ['features', 'scorecard'],
  ['service.ts'],
];

/** Modules the core never imports: it runs without an editor and reads files only through the FileSystem it is given. */
const FORBIDDEN_IN_CORE = /^(vscode|vscode-languageserver(-[a-z]+)?|(node:)?fs)(\/.*)?$/;

/** The one door from the rest of server/src into the core. */
const FACADE = `${CORE}/service.ts`;

interface Import {
  /** Relative to the repository root, `/` separators. */
  from: string;
  specifier: string;
  /** The file a relative specifier names, when it names one. */
  to?: string;
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) files.push(...sourceFiles(relative));
    else if (entry.name.endsWith('.ts')) files.push(relative);
  }
  return files;
}

function resolve(from: string, specifier: string): string | undefined {
  const base = path.posix.join(path.posix.dirname(from), specifier);
  return [`${base}.ts`, `${base}/index.ts`, base].find((candidate) => fs.existsSync(path.join(ROOT, candidate)) && fs.statSync(path.join(ROOT, candidate)).isFile());
}

function readImports(): Import[] {
  const imports: Import[] = [];
  for (const file of SOURCES.flatMap(sourceFiles)) {
    const info = ts.preProcessFile(fs.readFileSync(path.join(ROOT, file), 'utf8'), true, true);
    for (const { fileName: specifier } of info.importedFiles) {
      const to = specifier.startsWith('.') ? resolve(file, specifier) : undefined;
      imports.push({ from: file, specifier, ...(to ? { to } : {}) });
    }
  }
  return imports;
}

/** The folder of the core (or the file at its root) a path belongs to; undefined outside the core. */
function unitOf(file: string): string | undefined {
  if (!file.startsWith(`${CORE}/`)) return undefined;
  return file.slice(CORE.length + 1).split('/')[0];
}

function layerOf(unit: string): number {
  return LAYERS.findIndex((layer) => layer.includes(unit));
}

const describeImport = (i: Import) => `${i.from} imports '${i.specifier}'`;

/** Fails listing every finding, one a line, after what they break. */
function assertNone(findings: readonly string[], broken: string): void {
  assert.ok(findings.length === 0, `${broken}:\n  ${findings.join('\n  ')}`);
}

describe('architecture: the import graph', () => {
  const imports = readImports();
  const internal = imports.filter((i) => i.to !== undefined);
  /** Imports from one unit of the core to another. */
  const between = internal.filter((i) => unitOf(i.from) !== undefined && unitOf(i.to!) !== undefined && unitOf(i.from) !== unitOf(i.to!));

  it('is read whole: every relative import names a file, and the core has imports between its folders', () => {
    const unresolved = imports.filter((i) => i.specifier.startsWith('.') && i.to === undefined);
    assertNone(unresolved.map(describeImport), 'relative imports that name no file');
    assert.ok(between.length > 20, `only ${between.length} imports between folders of the core were found`);
  });

  it('places every folder and root file of the core in a layer', () => {
    const units = new Set(fs.readdirSync(path.join(ROOT, CORE)).filter((name) => !name.includes('.') || name.endsWith('.ts')));
    const unplaced = [...units].filter((unit) => layerOf(unit) < 0);
    assertNone(unplaced, 'folders or files of the core in no layer (add them to LAYERS here and to the map in docs/ARCHITECTURE.md)');
  });

  it('has no import from a layer to a higher one', () => {
    // Files in no layer fail the test above, not this one.
    const upward = between.filter((i) => layerOf(unitOf(i.from)!) >= 0 && layerOf(unitOf(i.from)!) < layerOf(unitOf(i.to!)!));
    const order = LAYERS.map((layer) => layer.join(' ')).join(' < ');
    assertNone(upward.map(describeImport), `imports to a higher layer (the layers, lowest first: ${order})`);
  });

  it('has no cycle between folders of the core', () => {
    const edges = new Map<string, Set<string>>();
    for (const i of between) {
      const from = unitOf(i.from)!;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(unitOf(i.to!)!);
    }
    const successors = (unit: string) => [...(edges.get(unit) ?? [])];
    const { componentOf, sizes } = stronglyConnectedComponents(edges.keys(), successors);
    const cycles: string[] = [];
    sizes.forEach((size, component) => {
      if (size < 2) return;
      const members = [...componentOf].filter(([, c]) => c === component).map(([unit]) => unit);
      const [first, second] = members;
      const there = shortestPath(first!, second!, successors)!;
      const back = shortestPath(second!, first!, successors)!;
      const cycle = [...there, ...back.slice(1)];
      const witnesses = cycle.slice(1).map((to, n) => describeImport(between.find((i) => unitOf(i.from) === cycle[n] && unitOf(i.to!) === to)!));
      cycles.push(`${members.join(', ')} depend on each other, for one: ${cycle.join(' → ')} (${witnesses.join('; ')})`);
    });
    assertNone(cycles, 'cycles between folders of the core');
  });

  it('keeps the core free of the editor and of Node’s file system', () => {
    const forbidden = imports.filter((i) => unitOf(i.from) !== undefined && FORBIDDEN_IN_CORE.test(i.specifier));
    assertNone(forbidden.map(describeImport), 'core files importing the editor or the file system');
  });

  it('lets the rest of server/src reach the core only through service.ts', () => {
    const past = internal.filter((i) => i.from.startsWith('server/src/') && unitOf(i.from) === undefined && unitOf(i.to!) !== undefined && i.to !== FACADE);
    assertNone(past.map(describeImport), `imports into the core past ${FACADE}`);
  });
});
