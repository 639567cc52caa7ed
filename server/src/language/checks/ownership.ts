// One accountable owner, who is a role, with control over the step the
// result is created in.
import type { Declaration, RefsProp } from '../model/ast';
import type { Report, Rule } from '../analysis/rule';
import { KIND_ARTICLE } from '../workspace/symbols';
import { fullName, resolveRef, resolvedSteps } from './resolve';

type Owned = Extract<Declaration, { owner?: RefsProp }>;

const missingOwner: Rule = {
  code: 'missing-owner',
  declaration(decl, _ctx, report) {
    if (OWNED.has(decl.kind) && !(decl as Owned).owner) {
      report(decl.name.span, `${capital(KIND_ARTICLE[decl.kind])} needs one owner: add \`owner Role\` to ${decl.name.text}.`);
    }
    if (decl.kind === 'process') {
      for (const step of decl.steps) {
        if (!step.owner) report(step.name.span, `Step ${step.name.text} has no owner; add \`owner Role\` to say who performs it.`);
      }
    }
  },
};

const OWNED = new Set(['kpi', 'sop', 'process', 'objective']);

function eachOwnerProp(decl: Declaration, visit: (owner: RefsProp) => void): void {
  if (OWNED.has(decl.kind) && (decl as Owned).owner) visit((decl as Owned).owner!);
  if (decl.kind === 'process') for (const step of decl.steps) if (step.owner) visit(step.owner);
}

const multipleOwners: Rule = {
  code: 'multiple-owners',
  declaration(decl, _ctx, report) {
    eachOwnerProp(decl, (owner) => {
      for (const ref of owner.refs.slice(1)) {
        report(ref.span, `Only one owner is accountable; keep ${fullName(owner.refs[0]!)} or ${fullName(ref)}, not both (others can be levers or SOP roles).`);
      }
    });
  },
};

const teamOwner: Rule = {
  code: 'team-owner',
  declaration(decl, ctx, report: Report) {
    eachOwnerProp(decl, (owner) => {
      for (const ref of owner.refs) {
        const { entry } = resolveRef(ctx, ref, 'owner');
        const kind = entry?.decl.kind;
        if (kind === 'team' || kind === 'function') {
          report(ref.span, `${ref.name} is ${KIND_ARTICLE[kind]}, and ${KIND_ARTICLE[kind]} cannot be accountable; name the one role who owns this.`);
        }
      }
    });
  },
};

const ownerLacksControl: Rule = {
  code: 'owner-lacks-control',
  kpi(kpi, ctx, report) {
    const owner = kpi.owner?.refs[0];
    if (!owner) return;
    const steps = resolvedSteps(kpi, ctx);
    if (steps.length === 0 || resolveRef(ctx, owner, 'owner').entry?.decl.kind !== 'role') return;
    const controls = steps.some(({ step, process }) => [...(step.owner?.refs ?? []), ...(process.owner?.refs ?? [])].some((r) => r.name === owner.name));
    if (controls) return;
    const names = steps.map(({ ref }) => fullName(ref)).join(', ');
    report(
      owner.span,
      `${owner.name} owns neither ${names} nor ${steps.length > 1 ? 'their processes' : 'its process'}, so has no control over this result; make the step's owner the kpi's owner or link a step ${owner.name} performs.`,
    );
  },
};

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const ownershipRules: Rule[] = [missingOwner, multipleOwners, teamOwner, ownerLacksControl];
