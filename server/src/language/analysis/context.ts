// What a rule may see of the workspace: a CheckContext records every read as
// a key, so the analysis knows which edits can change a document's diagnostics.
import type { Declaration, KpiDecl } from '../model/ast';
import type { KpiStatus } from '../model/status';
import type { Config } from '../workspace/config';
import type { DataFile } from '../workspace/data';
import type { DeclEntry, SourceDocument, Workspace } from '../workspace/workspace';

/**
 * Read keys are shared strings: every declaration keeps its own set of them,
 * and one string per name instead of one per read keeps that small. The table
 * starts afresh when it grows past any plausible number of names.
 */
const keys = new Map<string, string>();
function readKey(prefix: 'd:' | 'r:', name: string): string {
  const id = prefix + name;
  let key = keys.get(id);
  if (key === undefined) {
    if (keys.size > 200_000) keys.clear();
    keys.set(id, (key = id));
  }
  return key;
}

/**
 * What a check may see of the workspace. Every read is recorded, so the
 * workspace knows which edits can change this document's diagnostics.
 */
export class CheckContext {
  readonly reads = new Set<string>();

  constructor(
    private readonly workspace: Workspace,
    readonly doc: SourceDocument,
    readonly config: Config,
  ) {}

  get today(): number {
    return this.workspace.today();
  }

  /** Declarations named `name`, in workspace order. */
  declarations(name: string): readonly DeclEntry[] {
    this.reads.add(readKey('d:', name));
    return this.workspace.declarations(name);
  }

  /** The declaration `name` resolves to (the first in workspace order). */
  resolve(name: string): DeclEntry | undefined {
    return this.declarations(name)[0];
  }

  /** Whether any declaration refers to `name` (reads less than `referrers`). */
  isReferenced(name: string): boolean {
    this.reads.add(readKey('r:', name));
    return this.workspace.isReferenced(name);
  }

  /** Top-level declarations that refer to `name`. */
  referrers(name: string): DeclEntry[] {
    this.reads.add(readKey('r:', name));
    const result = this.workspace.referrersOf(name);
    for (const entry of result) this.reads.add(readKey('d:', entry.decl.name.text));
    return result;
  }

  /** The `depends` component of a kpi (kpis on a common cycle share one); reads the whole graph's shape. */
  dependencyComponent(kpi: KpiDecl): number {
    this.reads.add('g:depends');
    return this.workspace.dependencyComponent(kpi);
  }

  dependencyComponentSize(component: number): number {
    this.reads.add('g:depends');
    return this.workspace.componentSize(component);
  }

  /** A shortest `depends` path between two kpis of one component (covered by `g:depends`). */
  dependencyPath(from: KpiDecl, to: KpiDecl): KpiDecl[] | undefined {
    this.reads.add('g:depends');
    return this.workspace.dependencyPath(from, to);
  }

  status(entry: DeclEntry<KpiDecl>): KpiStatus {
    // A kpi's status depends on its own text (recorded by whoever found it) and its data file.
    return this.workspace.status(entry, (key) => this.reads.add(key));
  }

  dataFile(written: string): DataFile {
    const { key, data } = this.workspace.dataFile(this.doc, written);
    this.reads.add(key);
    return data;
  }

  entry<D extends Declaration>(decl: D): DeclEntry<D> {
    return { doc: this.doc, decl };
  }
}
