// Hand-offs between KPIs: cycles, cross-function dependencies, and the joint
// review an amber or red KPI across functions must trigger.
import type { KpiDecl, Ref } from '../model/ast';
import { jointReviewPartners, needsJointReview, type HandoffResolver } from '../model/jointReview';
import type { DeclEntry } from '../workspace/workspace';
import type { CheckContext } from '../analysis/context';
import { defineRule } from './definition';
import { resolveKind } from './resolve';

/** The function a kpi's owner sits in: the owner must be a role with `in` naming a function. */
function ownerFunction(ctx: CheckContext, kpi: KpiDecl): OwnerFunction | undefined {
  const owner = kpi.owner?.refs[0];
  const role = owner ? resolveKind(ctx, owner.name, 'role') : undefined;
  const fnRef = role?.decl.in;
  const fn = fnRef ? resolveKind(ctx, fnRef.name, 'function') : undefined;
  return role && fn ? { role: role.decl.name.text, name: fn.decl.name.text, label: fn.decl.title?.value ?? fn.decl.name.text } : undefined;
}

/** The owner's role, and the function it sits in by name and by label. */
interface OwnerFunction {
  role: string;
  name: string;
  label: string;
}

/** The hand-off graph as the checks see it: declarations, every read recorded. */
function handoffs(ctx: CheckContext): HandoffResolver<KpiDecl, OwnerFunction> {
  return {
    dependencies: (kpi) => dependencies(ctx, kpi).map(({ target }) => target.decl),
    dependents: (kpi) => dependents(ctx, kpi).map((entry) => entry.decl),
    ownerFunction: (kpi) => ownerFunction(ctx, kpi),
  };
}


/** Kpis this one depends on, with the reference, skipping itself. */
function dependencies(ctx: CheckContext, kpi: KpiDecl): { ref: Ref; target: DeclEntry<KpiDecl> }[] {
  const result = [];
  for (const ref of kpi.depends?.refs ?? []) {
    const target = resolveKind(ctx, ref.name, 'kpi');
    if (target && target.decl !== kpi) result.push({ ref, target });
  }
  return result;
}

/** Kpis that depend on this one (only when this one is the declaration its name resolves to). */
function dependents(ctx: CheckContext, kpi: KpiDecl): DeclEntry<KpiDecl>[] {
  if (ctx.resolve(kpi.name.text)?.decl !== kpi) return [];
  const result: DeclEntry<KpiDecl>[] = [];
  for (const entry of ctx.referrers(kpi.name.text)) {
    const decl = entry.decl;
    // A later namesake of another kpi is not that kpi (first declaration wins, LANGUAGE.md section 7),
    // as the scorecard's hand-offs see it too.
    if (decl.kind !== 'kpi' || decl === kpi || ctx.resolve(decl.name.text)?.decl !== decl) continue;
    if (decl.depends?.refs.some((r) => r.name === kpi.name.text)) {
      result.push(entry as DeclEntry<KpiDecl>);
    }
  }
  return result;
}

const MAX_PATH_SEARCH = 200;

const dependencyCycle = defineRule({
  code: 'dependency-cycle',
  severity: 'error',
  summary: 'depends links form a cycle.',
  kpi(kpi, ctx, report) {
    if (!kpi.depends) return;
    const component = ctx.dependencyComponent(kpi);
    const seen = new Set<string>();
    for (const ref of kpi.depends.refs) {
      if (seen.has(ref.name)) continue;
      seen.add(ref.name);
      const target = resolveKind(ctx, ref.name, 'kpi');
      if (!target) continue;
      if (target.decl === kpi) {
        report(ref.span, `${kpi.name.text} depends on itself; remove it from its own depends.`);
        continue;
      }
      if (ctx.dependencyComponent(target.decl) !== component) continue;
      const size = ctx.dependencyComponentSize(component);
      // In a large tangle the shortest path costs more than it tells; name the two ends and the count.
      const back = size <= MAX_PATH_SEARCH ? ctx.dependencyPath(target.decl, kpi) : undefined;
      if (!back) {
        report(ref.span, `${kpi.name.text} → ${target.decl.name.text} → … → ${kpi.name.text}: ${size} kpis depend on each other in a circle; break one of the links.`);
        continue;
      }
      const names = [kpi, ...back].map((k) => k.name.text);
      // Long cycles are shortened so the message stays one readable sentence.
      const shown = names.length > 7 ? [...names.slice(0, 4), `… (${names.length - 6} more)`, ...names.slice(-2)] : names;
      report(ref.span, `${shown.join(' → ')}: these kpis depend on each other in a circle; break one of the links.`);
    }
  },
});

const crossFunctionDependency = defineRule({
  code: 'cross-function-dependency',
  severity: 'information',
  summary: 'A kpi depends on a kpi owned in another function.',
  kpi(kpi, ctx, report) {
    const mine = ownerFunction(ctx, kpi);
    if (!mine) return;
    for (const { ref, target } of dependencies(ctx, kpi)) {
      const theirs = ownerFunction(ctx, target.decl);
      if (!theirs || theirs.name === mine.name) continue;
      if (needsJointReview(ctx.status(ctx.entry(kpi)).status) || needsJointReview(ctx.status(target).status)) continue;
      report(ref.span, `${kpi.name.text} (${mine.label}) depends on ${target.decl.name.text} from ${theirs.label}: a hand-off across functions; if either turns amber, both owners review it together.`);
    }
  },
});

const jointReview = defineRule({
  code: 'joint-review',
  severity: 'warning',
  summary: 'An amber or red kpi crosses functions: its owner and the other owner must review it together.',
  kpi(kpi, ctx, report) {
    const status = ctx.status(ctx.entry(kpi)).status;
    if (!needsJointReview(status)) return;
    const review = jointReviewPartners(kpi, handoffs(ctx));
    if (!review) return;
    const { mine } = review;
    for (const { partner, theirs } of review.partners) {
      report(
        kpi.name.span,
        `${kpi.name.text} is ${status} and crosses functions with ${partner.name.text}: ${mine.role} (${mine.label}) and ${theirs.role} (${theirs.label}) should hold a joint review of the hand-off.`,
      );
    }
  },
});

export const dependencyRules = [dependencyCycle, crossFunctionDependency, jointReview];
