// The shape of a KPI: an outcome, a measurable target with sane thresholds,
// a cadence, a purpose, and a link to the process step (and SOP) behind it.
import type { Report } from '../analysis/rule';
import type { KpiDecl, Span } from '../model/ast';
import { CADENCE_ORDER } from '../model/periods';
import { describeCondition, directionOf } from '../model/status';
import { findStep } from '../workspace/symbols';
import { defineRule, type FixContext, type Reported, type RuleDefinition } from './definition';
import { allOfKind, blockAt, insertProperty, quoted, type BlockAt, type Fix } from './edits';
import { resolvedSteps } from './resolve';

/** Where a missing property goes: the kpi's block. */
interface MissingProperty {
  block: BlockAt;
}

/**
 * A rule for a property a kpi must have: reported on the kpi's name, with the
 * kpi's block as payload plus what `extra` adds for the fix.
 */
function missing<P extends MissingProperty>(
  rule: Omit<RuleDefinition<P>, 'kpi'> & { has: (kpi: KpiDecl) => boolean; message: (kpi: KpiDecl) => string; extra: (kpi: KpiDecl) => Omit<P, 'block'> },
): RuleDefinition<P> {
  const { has, message, extra, ...definition } = rule;
  return {
    ...definition,
    kpi(kpi, _ctx, report: Report<P>) {
      if (has(kpi)) return;
      const span = kpi.name.span;
      report(span, message(kpi), { block: blockAt(kpi, span), ...extra(kpi) } as P);
    },
  };
}

/** A fix that inserts one property into the block the diagnostic's payload names. */
function insert(d: Reported<MissingProperty>, { doc }: FixContext, title: string, property: string, flags: Pick<Fix, 'preferred' | 'auto'> = {}): Fix {
  return { title, edits: [insertProperty(doc, d.span, d.data!.block, property)], ...flags };
}

const missingTarget = defineRule(
  missing<MissingProperty & { target: string }>({
    code: 'missing-target',
    severity: 'error',
    summary: 'A kpi has no target.',
    has: (k) => !!k.target,
    message: (k) => `${k.name.text} has no target; add one such as \`target >= 90\`.`,
    // The green band already says what good looks like.
    extra: (k) => ({ target: k.thresholds?.green ? `target ${k.thresholds.green.op} ${k.thresholds.green.value}` : 'target >= 0' }),
    fixes: (d, context) => (d.data ? [insert(d, context, `Add ${d.data.target}`, d.data.target, { preferred: true })] : []),
  }),
);

const missingOutcome = defineRule(
  missing<MissingProperty & { title: string }>({
    code: 'missing-outcome',
    severity: 'warning',
    summary: 'A kpi has no outcome.',
    has: (k) => !!k.outcome,
    message: (k) => `${k.name.text} has no outcome; say in words the result it measures (\`outcome "…"\`).`,
    extra: (k) => ({ title: k.title?.value ?? k.name.text }),
    fixes: (d, context) => (d.data ? [insert(d, context, 'Add an outcome', `outcome ${quoted(String(d.data.title))}`, { preferred: true })] : []),
  }),
);

const missingFrequency = defineRule(
  missing<MissingProperty>({
    code: 'missing-frequency',
    severity: 'warning',
    summary: 'A kpi has no frequency.',
    has: (k) => !!k.frequency || !!k.unreadable?.includes('frequency'),
    message: (k) => `${k.name.text} has no frequency; say how often it is measured (\`frequency monthly\`).`,
    extra: () => ({}),
    fixes: (d, context) => (d.data ? ['monthly', 'weekly', 'quarterly'].map((f, i) => insert(d, context, `Add frequency ${f}`, `frequency ${f}`, { preferred: i === 0 })) : []),
  }),
);

const missingPurpose = defineRule({
  code: 'missing-purpose',
  severity: 'information',
  summary: 'A kpi has neither supports nor why.',
  kpi(kpi, _ctx, report) {
    if (!kpi.supports && !kpi.why) report(kpi.name.span, `${kpi.name.text} has no purpose; link the objective it serves with \`supports\` or say why in \`why "…"\`.`);
  },
});

const unlinkedKpi = defineRule(
  missing<MissingProperty & { owner?: string }>({
    code: 'unlinked-kpi',
    severity: 'warning',
    summary: 'A kpi is linked to no process step.',
    has: (k) => !!k.step,
    message: (k) => `${k.name.text} is linked to no process step; add \`step Process.Step\` for the step where the result is created.`,
    extra: (k) => (k.owner?.refs[0] ? { owner: k.owner.refs[0].name } : {}),
    // The steps the kpi's owner performs are where its result is likely created.
    fixes: (d, context) => {
      const owner = d.data?.owner;
      if (!owner) return [];
      const fixes: Fix[] = [];
      for (const process of allOfKind(context.workspace, 'process')) {
        if (process.kind !== 'process') continue;
        for (const step of process.steps) {
          if (step.owner?.refs[0]?.name === owner && findStep(process, step.name.text) === step) {
            const name = `${process.name.text}.${step.name.text}`;
            fixes.push(insert(d, context, `Link step ${name}`, `step ${name}`));
          }
        }
      }
      if (fixes.length === 1) fixes[0]!.preferred = true;
      return fixes.slice(0, 8);
    },
  }),
);

const vagueTarget = defineRule({
  code: 'vague-target',
  severity: 'warning',
  summary: 'A target is a string, not a comparator and a number.',
  kpi(kpi, _ctx, report) {
    const text = kpi.target?.text;
    if (text) report(text.span, `The target "${text.value}" cannot be measured; write a comparator and a number, such as ${suggestedTarget(kpi)}.`);
  },
});

/** A numeric target in the KPI's direction: its green band when the thresholds say which way is better. */
function suggestedTarget(kpi: KpiDecl): string {
  const green = kpi.thresholds?.green;
  const direction = green ? directionOf(green.op) : 'neither';
  if (!green || direction === 'neither') return '`target >= 90`';
  return `\`target ${green.op} ${green.value}\` (the thresholds say ${direction} is better)`;
}

const inconsistentThresholds = defineRule({
  code: 'inconsistent-thresholds',
  severity: 'error',
  summary: "Thresholds disagree with the target's direction, or amber is not between green and red.",
  kpi(kpi, _ctx, report) {
    const t = kpi.thresholds;
    if (!t?.green || !t.amber) return;
    const green = directionOf(t.green.op);
    const amber = directionOf(t.amber.op);
    const target = kpi.target?.comparison;
    const targetDir = target ? directionOf(target.op) : undefined;
    const shown = `${describeCondition('green', t.green)}, ${describeCondition('amber', t.amber)}`;
    const at: Span = t.keyword;
    if (targetDir && targetDir !== 'neither' && (green !== targetDir || amber !== targetDir)) {
      const word = targetDir === 'higher' ? 'higher' : 'lower';
      const ops = targetDir === 'higher' ? '>= or >' : '<= or <';
      report(at, `The target ${target!.op} ${target!.value} says ${word} is better, but the thresholds (${shown}) do not; use ${ops} in both bands.`);
      return;
    }
    if (green !== amber) {
      report(at, `The green and amber bands (${shown}) point in different directions; use the same kind of comparator in both.`);
      return;
    }
    if (green === 'higher' && t.amber.value > t.green.value) {
      report(at, `Amber must lie between green and red: with higher is better, the amber value ${t.amber.value} must not be above the green value ${t.green.value}.`);
    } else if (green === 'lower' && t.amber.value < t.green.value) {
      report(at, `Amber must lie between green and red: with lower is better, the amber value ${t.amber.value} must not be below the green value ${t.green.value}.`);
    }
  },
});

const checkpointNotFiner = defineRule({
  code: 'checkpoint-not-finer',
  severity: 'warning',
  summary: 'A checkpoint is not more frequent than the frequency.',
  kpi(kpi, _ctx, report) {
    if (!kpi.checkpoint || !kpi.frequency) return;
    if (CADENCE_ORDER[kpi.checkpoint.value] >= CADENCE_ORDER[kpi.frequency.value]) {
      report(kpi.checkpoint.span, `A ${kpi.checkpoint.value} checkpoint is not more frequent than the ${kpi.frequency.value} frequency; choose a finer interim review or remove it.`);
    }
  },
});

const kpiWithoutSop = defineRule({
  code: 'kpi-without-sop',
  severity: 'information',
  summary: 'None of the steps a kpi is linked to has an SOP.',
  kpi(kpi, ctx, report) {
    const steps = resolvedSteps(kpi, ctx);
    if (steps.length === 0 || steps.some((s) => s.step.sop)) return;
    report(kpi.name.span, `No SOP backs the step${steps.length > 1 ? 's' : ''} behind ${kpi.name.text}; attach one with \`sop\` on the step so people know how to move it.`);
  },
});

export const kpiRules = [
  missingTarget,
  vagueTarget,
  inconsistentThresholds,
  unlinkedKpi,
  missingOutcome,
  missingFrequency,
  checkpointNotFiner,
  missingPurpose,
  kpiWithoutSop,
];
