// The shape of a KPI: an outcome, a measurable target with sane thresholds,
// a cadence, a purpose, and a link to the process step (and SOP) behind it.
import type { KpiDecl } from '../model/ast';
import { CADENCE_ORDER } from '../model/periods';
import { describeCondition, directionOf } from '../model/status';
import type { Rule } from '../analysis/rule';
import { resolvedSteps } from './resolve';

function missing(code: string, has: (kpi: KpiDecl) => boolean, message: (kpi: KpiDecl) => string): Rule {
  return {
    code,
    kpi(kpi, _ctx, report) {
      if (!has(kpi)) report(kpi.name.span, message(kpi));
    },
  };
}

const missingTarget = missing('missing-target', (k) => !!k.target, (k) => `${k.name.text} has no target; add one such as \`target >= 90\`.`);
const missingOutcome = missing('missing-outcome', (k) => !!k.outcome, (k) => `${k.name.text} has no outcome; say in words the result it measures (\`outcome "…"\`).`);
const missingFrequency = missing('missing-frequency', (k) => !!k.frequency, (k) => `${k.name.text} has no frequency; say how often it is measured (\`frequency monthly\`).`);
const missingPurpose = missing(
  'missing-purpose',
  (k) => !!k.supports || !!k.why,
  (k) => `${k.name.text} has no purpose; link the objective it serves with \`supports\` or say why in \`why "…"\`.`,
);
const unlinkedKpi = missing(
  'unlinked-kpi',
  (k) => !!k.step,
  (k) => `${k.name.text} is linked to no process step; add \`step Process.Step\` for the step where the result is created.`,
);

const vagueTarget: Rule = {
  code: 'vague-target',
  kpi(kpi, _ctx, report) {
    const text = kpi.target?.text;
    if (text) report(text.span, `The target "${text.value}" cannot be measured; write a comparator and a number, such as \`target >= 90\`.`);
  },
};

const inconsistentThresholds: Rule = {
  code: 'inconsistent-thresholds',
  kpi(kpi, _ctx, report) {
    const t = kpi.thresholds;
    if (!t?.green || !t.amber) return;
    const green = directionOf(t.green.op);
    const amber = directionOf(t.amber.op);
    const target = kpi.target?.comparison;
    const targetDir = target ? directionOf(target.op) : undefined;
    const shown = `${describeCondition('green', t.green)}, ${describeCondition('amber', t.amber)}`;
    if (targetDir && targetDir !== 'neither' && (green !== targetDir || amber !== targetDir)) {
      const word = targetDir === 'higher' ? 'higher' : 'lower';
      const ops = targetDir === 'higher' ? '>= or >' : '<= or <';
      report(t.keyword, `The target ${target!.op} ${target!.value} says ${word} is better, but the thresholds (${shown}) do not; use ${ops} in both bands.`);
      return;
    }
    if (green !== amber) {
      report(t.keyword, `The green and amber bands (${shown}) point in different directions; use the same kind of comparator in both.`);
      return;
    }
    if (green === 'higher' && t.amber.value > t.green.value) {
      report(t.keyword, `Amber must lie between green and red: with higher is better, the amber value ${t.amber.value} must not be above the green value ${t.green.value}.`);
    } else if (green === 'lower' && t.amber.value < t.green.value) {
      report(t.keyword, `Amber must lie between green and red: with lower is better, the amber value ${t.amber.value} must not be below the green value ${t.green.value}.`);
    }
  },
};

const checkpointNotFiner: Rule = {
  code: 'checkpoint-not-finer',
  kpi(kpi, _ctx, report) {
    if (!kpi.checkpoint || !kpi.frequency) return;
    if (CADENCE_ORDER[kpi.checkpoint.value] >= CADENCE_ORDER[kpi.frequency.value]) {
      report(kpi.checkpoint.span, `A ${kpi.checkpoint.value} checkpoint is not more frequent than the ${kpi.frequency.value} frequency; choose a finer interim review or remove it.`);
    }
  },
};

const kpiWithoutSop: Rule = {
  code: 'kpi-without-sop',
  kpi(kpi, ctx, report) {
    const steps = resolvedSteps(kpi, ctx);
    if (steps.length === 0 || steps.some((s) => s.step.sop)) return;
    report(kpi.name.span, `No SOP backs the step${steps.length > 1 ? 's' : ''} behind ${kpi.name.text}; attach one with \`sop\` on the step so people know how to move it.`);
  },
};

export const kpiRules: Rule[] = [
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
