// Processes: every step reachable from the first one.
import { findStep } from '../workspace/symbols';
import { defineRule } from './definition';

const unreachableStep = defineRule({
  code: 'unreachable-step',
  severity: 'warning',
  summary: "No next path reaches a step from its process's first step.",
  process(process, _ctx, report) {
    const entry = process.steps[0];
    if (!entry) return;
    // `next X` goes to the first step named X (LANGUAGE.md section 7), so a
    // later step of the same name is never walked: it is duplicate-name's.
    const reached = new Set([entry]);
    const queue = [entry];
    while (queue.length > 0) {
      const step = queue.shift()!;
      for (const ref of step.next?.refs ?? []) {
        const next = ref.member ? undefined : findStep(process, ref.name);
        if (next && !reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
      }
    }
    for (const step of process.steps) {
      if (reached.has(step) || findStep(process, step.name.text) !== step) continue;
      report(step.name.span, `No \`next\` path leads from ${entry.name.text} to step ${step.name.text}; add it to a step's \`next\` or remove it.`);
    }
  },
});

export const processRules = [unreachableStep];
