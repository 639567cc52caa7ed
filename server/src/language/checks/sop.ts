// SOPs as living documents: complete, and reviewed on a cadence.
import { addReview, formatDay } from '../model/periods';
import type { Rule } from '../analysis/rule';

const incompleteSop: Rule = {
  code: 'incomplete-sop',
  sop(sop, _ctx, report) {
    const missing = [
      sop.objective ? '' : 'objective',
      sop.trigger ? '' : 'trigger',
      sop.steps && sop.steps.values.length > 0 ? '' : 'steps',
    ].filter(Boolean);
    if (missing.length > 0) report(sop.name.span, `SOP ${sop.name.text} lacks ${missing.join(', ')}; an SOP needs all three to be usable.`);
  },
};

const sopWithoutReview: Rule = {
  code: 'sop-without-review',
  sop(sop, _ctx, report) {
    if (!sop.review) report(sop.name.span, `SOP ${sop.name.text} has no review cadence; add \`review every 3 months\` (or what fits) so it stays current.`);
  },
};

const sopReviewOverdue: Rule = {
  code: 'sop-review-overdue',
  sop(sop, ctx, report) {
    if (!sop.review || !sop.reviewed) return;
    const due = addReview(sop.reviewed.date, sop.review.every, sop.review.unit);
    if (due < ctx.today) {
      const unit = `${sop.review.unit}${sop.review.every === 1 ? '' : 's'}`;
      report(sop.reviewed.span, `SOP ${sop.name.text} was due for review on ${formatDay(due)} (every ${sop.review.every} ${unit}); review it and update \`reviewed\`.`);
    }
  },
};

export const sopRules: Rule[] = [incompleteSop, sopWithoutReview, sopReviewOverdue];
