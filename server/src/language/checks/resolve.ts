// Resolution of one reference through the check context (so the read is
// recorded). Rules that only need a target use the entry; unknown-reference
// uses the problem.
import type { Declaration, KpiDecl, ProcessDecl, Ref, RoleDecl, Span, Step } from '../model/ast';
import { findStep, KIND_ARTICLE, SITE_KINDS, type RefSite } from '../workspace/symbols';
import type { DeclEntry } from '../workspace/workspace';
import type { CheckContext } from '../analysis/context';

export interface Resolution {
  /** The declaration the name resolves to, when there is one (it may be of the wrong kind). */
  entry?: DeclEntry;
  /** For `Process.Step` and `next`: the step. */
  step?: Step;
  /** Why the reference does not resolve to something of the expected kind. */
  problem?: { message: string; span: Span };
}

function expected(site: RefSite): string {
  const kinds = SITE_KINDS[site];
  return kinds.map((k) => KIND_ARTICLE[k]).join(' or ');
}

export function fullName(ref: Ref): string {
  return ref.member ? `${ref.name}.${ref.member.text}` : ref.name;
}

/** `process` is the process holding the reference, needed for `next`. */
export function resolveRef(ctx: CheckContext, ref: Ref, site: RefSite, process?: ProcessDecl): Resolution {
  if (site === 'next') {
    const step = process ? findStep(process, ref.name) : undefined;
    if (ref.member) return { problem: { message: `'next' takes a step of this process, written without a process name, not '${fullName(ref)}'.`, span: spanOfRef(ref) } };
    if (!step) return { problem: { message: `Process ${process?.name.text ?? ''} has no step '${ref.name}'; declare the step or fix the name.`, span: ref.span } };
    return { step };
  }
  if (ref.member && site !== 'kpiStep') {
    return { problem: { message: `'${fullName(ref)}' names a process step; here ${expected(site)} is expected.`, span: spanOfRef(ref) } };
  }
  const entry = ctx.resolve(ref.name);
  if (site === 'kpiStep' && !ref.member) {
    return {
      ...(entry ? { entry } : {}),
      problem: { message: `A kpi's step is written Process.Step; '${ref.name}' alone names no step.`, span: ref.span },
    };
  }
  if (!entry) {
    return { problem: { message: `Nothing is named '${ref.name}'; declare ${expected(site)} ${ref.name} or fix the name.`, span: ref.span } };
  }
  const kind = entry.decl.kind;
  if (!SITE_KINDS[site].includes(kind)) {
    // An owner that is a team or a function is `team-owner`'s business, not a broken reference.
    if (site === 'owner' && (kind === 'team' || kind === 'function')) return { entry };
    return { entry, problem: { message: `'${ref.name}' is ${KIND_ARTICLE[kind]}; here ${expected(site)} is expected.`, span: ref.span } };
  }
  if (site === 'kpiStep' && ref.member && entry.decl.kind === 'process') {
    const step = findStep(entry.decl, ref.member.text);
    if (!step) return { entry, problem: { message: `Process ${ref.name} has no step '${ref.member.text}'; check the step name.`, span: ref.member.span } };
    return { entry, step };
  }
  return { entry };
}

function spanOfRef(ref: Ref): Span {
  return { start: ref.span.start, end: ref.member?.span.end ?? ref.span.end };
}

type DeclOfKind<K extends Declaration['kind']> = K extends 'role' | 'team' ? RoleDecl : Extract<Declaration, { kind: K }>;

/** Resolves `name` and returns the entry only when it is of `kind`. */
export function resolveKind<K extends Declaration['kind']>(ctx: CheckContext, name: string, kind: K): DeclEntry<DeclOfKind<K>> | undefined {
  const entry = ctx.resolve(name);
  return entry && entry.decl.kind === kind ? (entry as DeclEntry<DeclOfKind<K>>) : undefined;
}

/** A kpi's linked steps that resolve, with their processes. */
export function resolvedSteps(kpi: KpiDecl, ctx: CheckContext): { ref: Ref; step: Step; process: ProcessDecl }[] {
  const result = [];
  for (const ref of kpi.step?.refs ?? []) {
    const r = resolveRef(ctx, ref, 'kpiStep');
    if (!r.problem && r.step && r.entry?.decl.kind === 'process') result.push({ ref, step: r.step, process: r.entry.decl });
  }
  return result;
}
