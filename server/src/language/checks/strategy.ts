// Objectives and the Balanced Scorecard: measured objectives, the four
// perspectives filled but not crowded, and some leading indicators.
import { PERSPECTIVES, type KpiDecl, type Perspective } from '../model/ast';
import { defineRule } from './definition';
import { resolveKind } from './resolve';

const PERSPECTIVE_NAMES: Record<Perspective, string> = {
  financial: 'financial',
  customer: 'customer',
  internal: 'internal process',
  learning: 'learning & growth',
};

const objectiveUnmeasured = defineRule({
  code: 'objective-unmeasured',
  severity: 'warning',
  summary: 'An objective has no key result and no kpi supports it.',
  objective(objective, ctx, report) {
    if (objective.keyResults.length > 0) return;
    if (ctx.resolve(objective.name.text)?.decl !== objective) return;
    const supported = ctx
      .referrers(objective.name.text)
      .some(({ decl }) => decl.kind === 'kpi' && decl.supports?.refs.some((r) => r.name === objective.name.text));
    if (!supported) {
      report(objective.name.span, `Nothing measures objective ${objective.name.text}; add a \`key result\` kpi or a kpi that \`supports\` it.`);
    }
  },
});

const perspectiveMismatch = defineRule({
  code: 'perspective-mismatch',
  severity: 'warning',
  summary: "A scorecard lists a kpi under another perspective than the kpi's own.",
  scorecard(scorecard, ctx, report) {
    for (const p of PERSPECTIVES) {
      for (const ref of scorecard.lines[p]?.refs ?? []) {
        const kpi = resolveKind(ctx, ref.name, 'kpi');
        const own = kpi?.decl.perspective?.value;
        if (own && own !== p) {
          const kind = PERSPECTIVE_NAMES[own];
          report(ref.span, `${ref.name} is ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} kpi but is listed under ${PERSPECTIVE_NAMES[p]}; move it to the ${own} line or change its perspective.`);
        }
      }
    }
  },
});

const emptyPerspective = defineRule({
  code: 'empty-perspective',
  severity: 'warning',
  summary: 'A scorecard has no kpi in one of the four perspectives.',
  scorecard(scorecard, _ctx, report) {
    for (const p of PERSPECTIVES) {
      if ((scorecard.lines[p]?.refs.length ?? 0) === 0) {
        report(scorecard.name.span, `Scorecard ${scorecard.name.text} has no kpi for the ${PERSPECTIVE_NAMES[p]} perspective; add one or two kpis on its \`${p}\` line.`);
      }
    }
  },
});

const crowdedPerspective = defineRule({
  code: 'crowded-perspective',
  severity: 'information',
  summary: 'A scorecard perspective lists more kpis than the configured maximum.',
  scorecard(scorecard, ctx, report) {
    const max = ctx.config.crowdedMax;
    for (const p of PERSPECTIVES) {
      const line = scorecard.lines[p];
      if (line && line.refs.length > max) {
        report(line.keyword, `The ${PERSPECTIVE_NAMES[p]} perspective lists ${line.refs.length} kpis; keep at most ${max} so the few that matter stand out.`);
      }
    }
  },
});

const laggingOnly = defineRule({
  code: 'lagging-only',
  severity: 'information',
  summary: 'A scorecard has no leading indicator.',
  scorecard(scorecard, ctx, report) {
    const kpis: KpiDecl[] = [];
    for (const p of PERSPECTIVES) {
      for (const ref of scorecard.lines[p]?.refs ?? []) {
        const kpi = resolveKind(ctx, ref.name, 'kpi');
        if (kpi) kpis.push(kpi.decl);
      }
    }
    if (kpis.length > 0 && !kpis.some((k) => k.indicator?.value === 'leading')) {
      report(scorecard.name.span, `Scorecard ${scorecard.name.text} has only lagging indicators; add a leading kpi that shows what will happen, not only what did.`);
    }
  },
});

export const strategyRules = [objectiveUnmeasured, perspectiveMismatch, emptyPerspective, crowdedPerspective, laggingOnly];
