// References and their resolution. Every place a declaration names another is
// a reference *site* with the kinds it expects; `forEachRef` walks them all, so
// checks, navigation and rename share one list.
import type { Declaration, DeclarationKind, KpiDecl, ProcessDecl, Ref, Step } from '../model/ast';

export type RefSite =
  | 'in' // role/team `in Function`
  | 'owner' // any `owner`
  | 'kpiStep' // kpi `step Process.Step`
  | 'supports' // kpi `supports Objective`
  | 'depends' // kpi `depends Kpi`
  | 'keyResult' // objective `key result Kpi`
  | 'scorecard' // scorecard perspective lines
  | 'roles' // sop `roles Role|Team`
  | 'stepSop' // process step `sop Sop`
  | 'next'; // process step `next Step` (local to the process)

export const SITE_KINDS: Record<RefSite, readonly DeclarationKind[]> = {
  in: ['function'],
  owner: ['role'],
  kpiStep: ['process'],
  supports: ['objective'],
  depends: ['kpi'],
  keyResult: ['kpi'],
  scorecard: ['kpi'],
  roles: ['role', 'team'],
  stepSop: ['sop'],
  next: [],
};

export interface RefVisit {
  ref: Ref;
  site: RefSite;
  /** The step holding the reference, for step properties. */
  step?: Step;
}

/** Calls `visit` for every reference in `decl`, in text order within each property. */
export function forEachRef(decl: Declaration, visit: (v: RefVisit) => void): void {
  const list = (refs: Ref[] | undefined, site: RefSite, step?: Step) => {
    for (const ref of refs ?? []) visit(step ? { ref, site, step } : { ref, site });
  };
  switch (decl.kind) {
    case 'function':
      return;
    case 'role':
    case 'team':
      if (decl.in) visit({ ref: decl.in, site: 'in' });
      return;
    case 'process':
      list(decl.owner?.refs, 'owner');
      for (const step of decl.steps) {
        list(step.owner?.refs, 'owner', step);
        if (step.sop) visit({ ref: step.sop.ref, site: 'stepSop', step });
        list(step.next?.refs, 'next', step);
      }
      return;
    case 'kpi':
      list(decl.owner?.refs, 'owner');
      list(decl.step?.refs, 'kpiStep');
      list(decl.supports?.refs, 'supports');
      list(decl.depends?.refs, 'depends');
      return;
    case 'sop':
      list(decl.owner?.refs, 'owner');
      list(decl.roles?.refs, 'roles');
      return;
    case 'objective':
      list(decl.owner?.refs, 'owner');
      for (const kr of decl.keyResults) visit({ ref: kr.ref, site: 'keyResult' });
      return;
    case 'scorecard':
      for (const line of Object.values(decl.lines)) list(line?.refs, 'scorecard');
      return;
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
