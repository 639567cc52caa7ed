// References and their resolution. Every place a declaration names another is
// a reference *site* with the kinds it expects; `forEachRef` walks them all, so
// checks, navigation and rename share one list.
import type { Declaration, DeclarationKind, KpiDecl, ProcessDecl, Ref, Step } from '../model/ast';
import { BLOCKS, DECLARATIONS, SITE_KINDS, type BlockKind, type PropertySpec, type RefSite } from '../syntax/grammar';

// The sites and the kinds each expects are rows of the grammar table.
export { SITE_KINDS, type RefSite };

export interface RefVisit {
  ref: Ref;
  site: RefSite;
  /** The step holding the reference, for step properties. */
  step?: Step;
}

/** Per block, the properties that hold references (or steps, which hold references). */
const REFERENCE_PROPERTIES = new Map<BlockKind, readonly PropertySpec[]>(
  (Object.entries(BLOCKS) as [BlockKind, readonly PropertySpec[]][]).map(([block, props]) => [block, props.filter((p) => p.site !== undefined || p.value === 'step')]),
);

type Fields = Record<string, unknown>;

/**
 * Calls `visit` for every reference in `decl`: `in`, then the block's
 * reference properties in the grammar table's order, each in text order.
 */
export function forEachRef(decl: Declaration, visit: (v: RefVisit) => void): void {
  if ((decl.kind === 'role' || decl.kind === 'team') && decl.in) visit({ ref: decl.in, site: 'in' });
  const spec = DECLARATIONS[decl.kind];
  if (!spec.block) return;
  const fields = decl as unknown as Fields;
  blockRefs(spec.block, spec.container ? (fields[spec.container] as Fields) : fields, visit, undefined);
}

function blockRefs(block: BlockKind, fields: Fields, visit: (v: RefVisit) => void, step: Step | undefined): void {
  for (const spec of REFERENCE_PROPERTIES.get(block)!) {
    const value = fields[spec.field];
    if (value === undefined) continue;
    if (spec.repeatable) for (const item of value as Fields[]) itemRefs(spec, item, visit, step);
    else itemRefs(spec, value as Fields, visit, step);
  }
}

/** The references of one property value (no list made for a property that holds one). */
function itemRefs(spec: PropertySpec, item: Fields, visit: (v: RefVisit) => void, step: Step | undefined): void {
  if (spec.value === 'step') {
    blockRefs(spec.block!, item, visit, item as unknown as Step);
    return;
  }
  const site = spec.site!;
  if (spec.value === 'refs') {
    for (const ref of item['refs'] as Ref[]) visit(step ? { ref, site, step } : { ref, site });
  } else {
    const ref = item['ref'] as Ref;
    visit(step ? { ref, site, step } : { ref, site });
  }
}

/** Names this declaration refers to in the global namespace (not `next`, which is local). */
export function globalNamesReferenced(decl: Declaration, into: (name: string) => void): void {
  forEachRef(decl, ({ ref, site }) => {
    if (site !== 'next') into(ref.name);
  });
}

/** The first step of `process` named `name`. */
export function findStep(process: ProcessDecl, name: string): Step | undefined {
  return process.steps.find((s) => s.name.text === name);
}

export const KIND_ARTICLE: Record<DeclarationKind | 'step', string> = {
  function: 'a function',
  role: 'a role',
  team: 'a team',
  objective: 'an objective',
  process: 'a process',
  kpi: 'a kpi',
  sop: 'an sop',
  scorecard: 'a scorecard',
  step: 'a step',
};

export function isKpi(decl: Declaration | undefined): decl is KpiDecl {
  return decl?.kind === 'kpi';
}
