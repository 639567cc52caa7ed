// Processes: every step reachable from the first one.
import type { Rule } from '../analysis/rule';

const unreachableStep: Rule = {
  code: 'unreachable-step',
  process(process, _ctx, report) {
    const entry = process.steps[0];
    if (!entry) return;
    const byName = new Map(process.steps.map((s) => [s.name.text, s] as const));
    const reached = new Set<string>([entry.name.text]);
    const queue = [entry];
    while (queue.length > 0) {
      const step = queue.shift()!;
      for (const ref of step.next?.refs ?? []) {
        const next = byName.get(ref.name);
        if (next && !reached.has(ref.name) && !ref.member) {
          reached.add(ref.name);
          queue.push(next);
        }
      }
    }
    for (const step of process.steps) {
      if (!reached.has(step.name.text)) {
        report(step.name.span, `No \`next\` path leads from ${entry.name.text} to step ${step.name.text}; add it to a step's \`next\` or remove it.`);
      }
    }
  },
};

export const processRules: Rule[] = [unreachableStep];
