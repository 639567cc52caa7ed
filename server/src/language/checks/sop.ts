// SOPs as living documents: complete, and reviewed on a cadence.
import { formatDay, reviewDue } from '../model/periods';
import type { Rule } from './registry';

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
    const due = reviewDue(sop);
    if (due !== undefined && sop.review && sop.reviewed && due < ctx.today) {
      const unit = `${sop.review.unit}${sop.review.every === 1 ? '' : 's'}`;
      report(sop.reviewed.span, `SOP ${sop.name.text} was due for review on ${formatDay(due)} (every ${sop.review.every} ${unit}); review it and update \`reviewed\`.`);
    }
  },
};

export const sopRules: Rule[] = [incompleteSop, sopWithoutReview, sopReviewOverdue];
