// SOPs as living documents: complete, and reviewed on a cadence.
import { formatDay, reviewDue } from '../model/periods';
import { defineRule } from './definition';
import { blockAt, insertProperty, type BlockAt } from './edits';

const incompleteSop = defineRule({
  code: 'incomplete-sop',
  severity: 'warning',
  summary: 'An sop lacks its objective, trigger or steps.',
  sop(sop, _ctx, report) {
    const missing = [
      sop.objective ? '' : 'objective',
      sop.trigger ? '' : 'trigger',
      sop.steps && sop.steps.values.length > 0 ? '' : 'steps',
    ].filter(Boolean);
    if (missing.length > 0) report(sop.name.span, `SOP ${sop.name.text} lacks ${missing.join(', ')}; an SOP needs all three to be usable.`);
  },
});

const sopWithoutReview = defineRule<{ block: BlockAt }>({
  code: 'sop-without-review',
  severity: 'warning',
  summary: 'An sop has no review cadence.',
  sop(sop, _ctx, report) {
    // A cadence written but unreadable (`review every 1.5 months`) is its syntax-error's to report.
    if (sop.review || sop.unreadable?.includes('review')) return;
    const span = sop.name.span;
    report(span, `SOP ${sop.name.text} has no review cadence; add \`review every 3 months\` (or what fits) so it stays current.`, { block: blockAt(sop, span) });
  },
  fixes: (d, { doc }) => (d.data ? [{ title: 'Add review every 3 months', edits: [insertProperty(doc, d.span, d.data.block, 'review every 3 months')], preferred: true }] : []),
});

const sopReviewOverdue = defineRule({
  code: 'sop-review-overdue',
  severity: 'warning',
  summary: 'An sop is overdue for review.',
  sop(sop, ctx, report) {
    const due = reviewDue(sop);
    if (due !== undefined && sop.review && sop.reviewed && due < ctx.today) {
      const unit = `${sop.review.unit}${sop.review.every === 1 ? '' : 's'}`;
      report(sop.reviewed.span, `SOP ${sop.name.text} was due for review on ${formatDay(due)} (every ${sop.review.every} ${unit}); review it and update \`reviewed\`.`);
    }
  },
  // The diagnostic's span is the `reviewed` date itself.
  fixes: (d, { workspace, doc }) => {
    const today = formatDay(workspace.today());
    return [{ title: `Mark as reviewed today (${today})`, edits: [{ key: doc.key, span: d.span, newText: today }], preferred: true }];
  },
});

export const sopRules = [incompleteSop, sopWithoutReview, sopReviewOverdue];
