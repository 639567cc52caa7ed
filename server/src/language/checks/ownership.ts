// One accountable owner, who is a role, with control over the step the
// result is created in.
import type { Report } from '../analysis/rule';
import type { Declaration, RefsProp, Span } from '../model/ast';
import { findStep, KIND_ARTICLE } from '../workspace/symbols';
import type { Workspace } from '../workspace/workspace';
import { defineRule } from './definition';
import { absoluteSpan, allOfKind, blockAt, insertProperty, relativeSpan, type BlockAt, type RelativeSpan } from './edits';
import { fullName, resolveRef, resolvedSteps } from './resolve';

type Owned = Extract<Declaration, { owner?: RefsProp }>;

const OWNED = new Set(['kpi', 'sop', 'process', 'objective']);

/**
 * Where an owner the structure already implies can be found, best first: a
 * role named outright (a step's process owner, a process's first step owner,
 * an sop's roles), or a kpi's linked step (its owner, else its process owner).
 * Names only, so the payload stays plain data; the fix resolves them.
 */
type ImpliedOwner = { role: string } | { process: string; step: string };

interface MissingOwner {
  block: BlockAt;
  implied: ImpliedOwner[];
}

function impliedOwners(decl: Declaration): ImpliedOwner[] {
  const roles = (refs: { name: string }[] | undefined) => (refs ?? []).map((r) => ({ role: r.name }));
  switch (decl.kind) {
    case 'process':
      return roles(decl.steps[0]?.owner?.refs.slice(0, 1));
    case 'kpi':
      return (decl.step?.refs ?? []).flatMap((r) => (r.member ? [{ process: r.name, step: r.member.text }] : []));
    case 'sop':
      return roles(decl.roles?.refs);
    default:
      return [];
  }
}

/** The first implied owner that names a role. */
function suggestOwner(workspace: Workspace, implied: readonly ImpliedOwner[]): string | undefined {
  const isRole = (name: string | undefined) => (name && workspace.declarations(name)[0]?.decl.kind === 'role' ? name : undefined);
  for (const source of implied) {
    if ('role' in source) {
      const name = isRole(String(source.role));
      if (name) return name;
      continue;
    }
    const process = workspace.declarations(String(source.process))[0]?.decl;
    if (process?.kind !== 'process') continue;
    const name = isRole(findStep(process, String(source.step))?.owner?.refs[0]?.name) ?? isRole(process.owner?.refs[0]?.name);
    if (name) return name;
  }
  return undefined;
}

const missingOwner = defineRule<MissingOwner>({
  code: 'missing-owner',
  severity: 'error',
  summary: 'A kpi, sop, process, step or objective has no owner.',
  declaration(decl, _ctx, report) {
    if (OWNED.has(decl.kind) && !(decl as Owned).owner) {
      const span = decl.name.span;
      report(span, `${capital(KIND_ARTICLE[decl.kind])} needs one owner: add \`owner Role\` to ${decl.name.text}.`, { block: blockAt(decl, span), implied: impliedOwners(decl) });
    }
    if (decl.kind === 'process') {
      const processOwner = decl.owner?.refs[0];
      for (const step of decl.steps) {
        if (step.owner) continue;
        const span = step.name.span;
        report(span, `Step ${step.name.text} has no owner; add \`owner Role\` to say who performs it.`, { block: blockAt(step, span), implied: processOwner ? [{ role: processOwner.name }] : [] });
      }
    }
  },
  fixes(d, { workspace, doc }) {
    if (!d.data) return [];
    const suggestion = suggestOwner(workspace, d.data.implied ?? []);
    const role = suggestion ?? allOfKind(workspace, 'role')[0]?.name.text ?? 'Owner';
    return [{ title: `Add owner ${role}`, edits: [insertProperty(doc, d.span, d.data.block, `owner ${role}`)], preferred: true, auto: suggestion !== undefined }];
  },
});

function eachOwnerProp(decl: Declaration, visit: (owner: RefsProp) => void): void {
  if (OWNED.has(decl.kind) && (decl as Owned).owner) visit((decl as Owned).owner!);
  if (decl.kind === 'process') for (const step of decl.steps) if (step.owner) visit(step.owner);
}

interface MultipleOwners {
  /** Every owner named, in order. */
  owners: string[];
  /** From the first owner to the last. */
  list: RelativeSpan;
}

const multipleOwners = defineRule<MultipleOwners>({
  code: 'multiple-owners',
  severity: 'error',
  summary: 'An owner lists more than one reference.',
  declaration(decl, _ctx, report) {
    eachOwnerProp(decl, (owner) => {
      if (owner.refs.length < 2) return;
      const list: Span = { start: owner.refs[0]!.span.start, end: owner.refs[owner.refs.length - 1]!.span.end };
      const owners = owner.refs.map((r) => r.name);
      for (const ref of owner.refs.slice(1)) {
        const message =
          fullName(ref) === fullName(owner.refs[0]!)
            ? `${fullName(ref)} is named twice as the owner; delete the second.`
            : `Only one owner is accountable; keep ${fullName(owner.refs[0]!)} or ${fullName(ref)}, not both (others can be levers or SOP roles).`;
        report(ref.span, message, {
          owners,
          list: relativeSpan(list, ref.span),
        });
      }
    });
  },
  // Keeping the first is the safe default: it is the one written first.
  fixes(d, { doc }) {
    if (!d.data || !Array.isArray(d.data.owners)) return [];
    const span = absoluteSpan(doc, d.span, d.data.list);
    return d.data.owners.map((name, i) => ({
      title: `Keep only ${String(name)} as owner`,
      edits: [{ key: doc.key, span, newText: String(name) }],
      preferred: i === 0,
      auto: i === 0,
    }));
  },
});

const teamOwner = defineRule({
  code: 'team-owner',
  severity: 'error',
  summary: 'The owner is a team or a function, not one accountable role.',
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
});

const ownerLacksControl = defineRule({
  code: 'owner-lacks-control',
  severity: 'warning',
  summary: "The kpi's owner owns neither its linked steps nor their processes.",
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
});

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const ownershipRules = [missingOwner, multipleOwners, teamOwner, ownerLacksControl];
