// The trend where people look (issue 14, item 2): the scorecard model's
// `trend`, objective `status` and `dueProjections`, the KPI card, the
// objective card, the hover and the sparkline's dashed projection. Every
// number is worked out by hand here, in the comments beside it, never taken
// from the code under test.
import * as assert from 'node:assert/strict';
import { buildScorecardModel } from '../server/src/language/scorecard/build';
import type { ScorecardModel } from '../server/src/language/scorecard/model';
import { renderHtml } from '../server/src/language/scorecard/render/html';
import { sparkline } from '../server/src/language/scorecard/render/sparkline';
import { hover, renderReport } from '../server/src/language/service';
import { modelOf } from './support/mermaid-models';
import { series } from './support/scorecard-models';
import { trendWorkspace as workspace } from './support/trend-workspace';
import { webviewAssets } from './support/webview-assets';

/** Equal to a value worked out by hand, up to the rounding of floating-point sums. */
function near(actual: number | undefined, expected: number, what: string): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≈ ${expected}`);
}

// SellOutGrowth at the end of November (2026-11-30, 76 days after the mean day 2026-09-15).
const SELL_OUT_PROJECTED = 23.5 - (76 * 245) / 4682; // 19.523…, amber (≥ 12, < 20), 19.5 for people
const SELL_OUT_SLOPE_PER_MONTH = (-245 / 4682) * 30; // November has 30 days: −1.5698…, −1.6 for people
// At the objective's due day 2026-12-31, 107 days after the mean day (15 + 31 + 30 + 31).
const SELL_OUT_AT_DUE = 23.5 - (107 * 245) / 4682; // 17.900…, amber, 17.9 for people
// ComplaintRate at the end of 2026-W48 (Sunday 2026-11-29, 21 days after the mean day 2026-11-08).
const COMPLAINTS_PROJECTED = 2.32 + 0.04 * 21; // 3.16, red (> 3), 3.2 for people
// At FixComplaints' due day 2026-12-13 (a Sunday, the end of 2026-W50, the third week after the data): 35 days after the mean day.
const COMPLAINTS_AT_DUE = 2.32 + 0.04 * 35; // 3.72, red

describe('the trend in the scorecard (issue 14, item 2)', () => {
  const ws = workspace();
  const model = buildScorecardModel(ws);
  const kpi = (name: string) => model.kpis.find((k) => k.name === name)!;
  const objective = (name: string) => model.objectives.find((o) => o.name === name)!;

  describe('the model', () => {
    it('gives a KPI with a trend its method, the actuals used, the slope per period and the projection', () => {
      const sellOut = kpi('SellOutGrowth').trend!;
      assert.deepEqual(Object.keys(sellOut), ['method', 'actuals', 'slopePerPeriod', 'projected']);
      assert.equal(sellOut.method, 'a straight line through the latest 4 actuals');
      assert.equal(sellOut.actuals, 4);
      near(sellOut.slopePerPeriod, SELL_OUT_SLOPE_PER_MONTH, 'slope a month');
      assert.deepEqual({ ...sellOut.projected, value: 0 }, { period: '2026-11', date: '2026-11-30', value: 0, shown: 19.5, status: 'amber' });
      near(sellOut.projected.value, SELL_OUT_PROJECTED, 'projected value, unrounded');

      const complaints = kpi('ComplaintRate').trend!;
      assert.equal(complaints.method, 'a straight line through the latest 5 actuals');
      assert.equal(complaints.actuals, 5);
      near(complaints.slopePerPeriod, 0.28, 'slope a week');
      assert.deepEqual({ ...complaints.projected, value: 0 }, { period: '2026-W48', date: '2026-11-29', value: 0, shown: 3.2, status: 'red' });
      near(complaints.projected.value, COMPLAINTS_PROJECTED, 'projected value');
    });

    it('gives no trend to a KPI with two actuals or none', () => {
      assert.equal(kpi('Training').trend, undefined);
      assert.equal(kpi('Unmeasured').trend, undefined);
      assert.ok(!('trend' in kpi('Training')), 'absent, not undefined, in the JSON');
    });

    it('gives each objective the worst status of its key results, else of its supporters (4.1)', () => {
      // SellOutGrowth is green (21 ≥ 20), Training amber (84: ≥ 75, < 90), ComplaintRate amber (2.9: ≤ 3, > 2).
      assert.equal(objective('GrowAPlus').status, 'amber');
      assert.equal(objective('FixComplaints').status, 'amber');
      // No key result: the supporters SellOutGrowth (green) and ComplaintRate (amber).
      assert.equal(objective('Delight').status, 'amber');
      // `key result Missing` names no KPI, so it is not a key result: the supporter SellOutGrowth measures it.
      assert.equal(objective('Ghost').status, 'green');
      // Its only key result has no actual.
      assert.equal(objective('Quiet').status, 'no-data');
    });

    it("reads a key result's line at the objective's due day, within three periods of its frequency", () => {
      const grow = objective('GrowAPlus').dueProjections;
      // Training has no trend; SellOutGrowth's data end 2026-10-31 and 2026-12-31 ends the second month after.
      assert.deepEqual(grow.map((p) => ({ ...p, value: 0 })), [{ kpi: 'SellOutGrowth', period: '2026-12', date: '2026-12-31', value: 0, shown: 17.9, status: 'amber' }]);
      near(grow[0]!.value, SELL_OUT_AT_DUE, 'SellOutGrowth at due');
      const fix = objective('FixComplaints').dueProjections;
      assert.deepEqual(fix.map((p) => ({ ...p, value: 0 })), [{ kpi: 'ComplaintRate', period: '2026-W50', date: '2026-12-13', value: 0, shown: 3.7, status: 'red' }]);
      near(fix[0]!.value, COMPLAINTS_AT_DUE, 'ComplaintRate at due');
      // 2026-12-14 is a day into the fourth week after the data: too far for a straight line.
      assert.deepEqual(objective('LateFix').dueProjections, []);
      // Supporters are not key results: no projection at due for Delight.
      assert.deepEqual(objective('Delight').dueProjections, []);
    });

    it('is what the JSON export writes', () => {
      const json = JSON.parse(renderReport('json', model, { nonce: 'n', assets: webviewAssets() })) as ScorecardModel;
      const trend = json.kpis.find((k) => k.name === 'SellOutGrowth')!.trend!;
      assert.equal(trend.projected.date, '2026-11-30');
      near(trend.projected.value, SELL_OUT_PROJECTED, 'projected value in JSON');
      assert.equal(json.objectives.find((o) => o.name === 'FixComplaints')!.dueProjections[0]!.period, '2026-W50');
      assert.equal(json.objectives.find((o) => o.name === 'Quiet')!.status, 'no-data');
    });
  });

  // The same two sentences in the card and in the hover.
  const SELL_OUT_PROJECTION = 'Projected 19.5% by the end of 2026-11 (2026-11-30): amber.';
  const SELL_OUT_METHOD = 'Trend -1.6 a month (a straight line through the latest 4 actuals).';
  const COMPLAINTS_PROJECTION = 'Projected 3.2% by the end of 2026-W48 (2026-11-29): red.';
  const COMPLAINTS_METHOD = 'Trend 0.28 a week (a straight line through the latest 5 actuals).';

  describe('the page', () => {
    const html = renderHtml(model, { mode: 'export', nonce: 'n0nce', assets: webviewAssets() });
    const card = (name: string) => {
      const start = html.indexOf(`id="kpi-${name}"`);
      assert.ok(start > 0, name);
      return html.slice(start, html.indexOf('</article>', start));
    };
    const objectiveCard = (name: string) => {
      const start = html.indexOf(`id="objective-${name}"`);
      assert.ok(start > 0, name);
      return html.slice(start, html.indexOf('</article>', start));
    };

    it('says on the KPI card the projected value, its period, the slope per period and the method', () => {
      // The card's sentence leaves out the band's word: the chip before it says it, with its icon.
      const sellOut = card('SellOutGrowth');
      assert.ok(sellOut.includes(`<span class="trend-projection">${SELL_OUT_PROJECTION.replace(': amber.', '.')}</span>`), sellOut);
      assert.ok(sellOut.includes(`<span class="trend-method">${SELL_OUT_METHOD}</span>`));
      assert.match(sellOut, /<p class="projection"><span class="chip st st-amber"[^>]*>.*?<span class="st-word">Amber<\/span>/);
      const complaints = card('ComplaintRate');
      assert.ok(complaints.includes(COMPLAINTS_PROJECTION.replace(': red.', '.')) && complaints.includes(COMPLAINTS_METHOD));
      // Under the sparkline, the projected period in its band's colour, without a second icon and word.
      assert.match(complaints, /<span class="legend-projection st-red">projected 2026-W48<\/span>/);
      assert.ok(!card('Training').includes('class="projection"'), 'no trend, no projection');
    });

    it('says a status word once where the eye reads it: the KPI’s in the head, the projection’s band on its line', () => {
      // Visible words only: the sparkline's and the icons' own accessible text may keep theirs.
      const visibleStatusWords = (html: string) =>
        html
          .replace(/<svg[^]*?<\/svg>/g, '')
          .replace(/<[^>]*>/g, ' ')
          .match(/\b(Green|Amber|Red)\b/g) ?? [];
      assert.deepEqual(visibleStatusWords(card('SellOutGrowth')), ['Green', 'Amber', 'Amber'], 'the status, the projection chip, the threshold badge "Amber ≥ 12%"');
      // A green KPI whose trend stays green: "Green" once, and the projection says it stays in that band.
      const steady = modelOf(`kpi Steady "Orders shipped on time" {
  target      >= 20
  thresholds  { green >= 20  amber >= 12 }
  unit        "%"
  frequency   monthly
  actual 2026-07 21
  actual 2026-08 22
  actual 2026-09 23
  actual 2026-10 24
}
`);
      const page = renderHtml(steady, { mode: 'export', nonce: 'n0nce', assets: webviewAssets() });
      const start = page.indexOf('id="kpi-Steady"');
      const steadyCard = page.slice(start, page.indexOf('</article>', start));
      assert.equal(steady.kpis[0]!.trend?.projected.status, 'green');
      assert.deepEqual(visibleStatusWords(steadyCard), ['Green', 'Amber'], 'the status, and the threshold badge');
      assert.match(steadyCard, /<p class="projection"><span class="trend-projection">Projected 25% by the end of 2026-11 \(2026-11-30\), in the same band\.<\/span>/);
      assert.match(steadyCard, /<span class="legend-projection st-green">projected 2026-11<\/span>/);
      // A screen reader still hears the status (the chip's word) and the projection's band (the sparkline's label).
      assert.match(steadyCard, /<span class="st-word">Green<\/span>/);
      assert.match(steadyCard, /aria-label="Trend: 21% to 24% over 4 periods; target ≥ 20%; projected 25% for 2026-11: Green"/);
    });

    it('draws the dashed projection in the card, in the band’s class, and says it to screen readers', () => {
      const sellOut = card('SellOutGrowth');
      assert.match(sellOut, /<g class="spark-projection status-amber"><title>projected 19.5% for 2026-11: Amber<\/title><path class="spark-projection-line"[^>]*stroke-dasharray="3 2"/);
      assert.match(sellOut, /aria-label="Trend: 26% to 21% over 4 periods; target ≥ 20%; projected 19.5% for 2026-11: Amber"/);
    });

    it('shows each objective its status, and its key results’ projections at due', () => {
      const grow = objectiveCard('GrowAPlus');
      assert.match(grow, /<span class="chip st st-amber"[^>]*>.*?<span class="st-word">Amber<\/span>/);
      assert.ok(grow.includes('Projected 17.9% at due 2026-12-31 (2026-12): amber, by a straight line through the latest 4 actuals.'), grow);
      assert.ok(objectiveCard('FixComplaints').includes('Projected 3.7% at due 2026-12-13 (2026-W50): red, by a straight line through the latest 5 actuals.'));
      assert.ok(!objectiveCard('LateFix').includes('kr-due'));
      assert.match(objectiveCard('Quiet'), /<span class="st-word">No data<\/span>/);
      assert.match(objectiveCard('Ghost'), /<span class="st-word">Green<\/span>/);
    });
  });

  describe('the hover', () => {
    const hoverOn = (name: string) => {
      const doc = ws.documents.find((d) => d.key === 'kpis.kpi')!;
      return hover(ws, doc, doc.text.indexOf(`kpi ${name}`) + 5)!.markdown;
    };

    it('says the same sentences as the card', () => {
      const sellOut = hoverOn('SellOutGrowth');
      assert.ok(sellOut.includes(`🟡 ${SELL_OUT_PROJECTION} ${SELL_OUT_METHOD}`), sellOut);
      const complaints = hoverOn('ComplaintRate');
      assert.ok(complaints.includes(`🔴 ${COMPLAINTS_PROJECTION} ${COMPLAINTS_METHOD}`), complaints);
      assert.ok(!hoverOn('Training').includes('Projected'), 'no trend, no projection');
    });
  });

  describe('the sparkline', () => {
    it('continues with a dashed segment one period further, to the projected value', () => {
      const actuals = series([['2026-07', 26], ['2026-08', 24], ['2026-09', 23], ['2026-10', 21]]);
      const svg = sparkline(actuals, { op: '>=', value: 20 }, { green: { op: '>=', value: 20 }, amber: { op: '>=', value: 12 } }, {
        width: 120,
        height: 32,
        status: 'green',
        projection: { period: '2026-11', value: SELL_OUT_PROJECTED, shown: 19.5, status: 'amber' },
      });
      // Inner box 112 × 24 (4 of padding each side). Five slots (four actuals and the projection): x = 4 + 28 i.
      // The values run from 12 (amber) to 26: y(v) = 4 + 24 − (v − 12) / 14 × 24.
      // The latest actual: x 88, y(21) = 28 − 9 / 14 × 24 = 12.571… → 12.57.
      // The projection: x 116, y(19.523…) = 28 − 7.523… / 14 × 24 = 15.103… → 15.1.
      assert.match(svg, /<path class="spark-projection-line" d="M88 12.57 L116 15.1" fill="none" stroke="#b58100" stroke-width="1.5" stroke-dasharray="3 2"/);
      assert.match(svg, /<circle class="spark-projected" cx="116" cy="15.1" r="3.4" fill="#b58100"\/>/);
      // The actuals' line stops at the latest actual: the first point at x 4, y(26) = 4.
      assert.match(svg, /<path class="spark-line" d="M4 4 L32 7.43 L60 9.14 L88 12.57"/);
      // The amber line at y(12) = 28 and the target at y(20) = 28 − 8 / 14 × 24 = 14.29.
      assert.match(svg, /class="spark-amber"[^>]*y1="28"/);
      assert.match(svg, /class="spark-target"[^>]*y1="14.29"/);
    });

    it('widens its range to a projection outside the actuals, and draws none without actuals or a finite value', () => {
      // Values 2 and 4, projected 10: y(v) = 4 + 24 − (v − 2) / 8 × 24 on a 120 × 32 box; three slots, x = 4, 60, 116.
      const svg = sparkline(series([['2026-09', 2], ['2026-10', 4]]), undefined, undefined, { width: 120, height: 32, projection: { period: '2026-11', value: 10, shown: 10, status: 'green' } });
      assert.match(svg, /d="M60 22 L116 4"/);
      assert.ok(!sparkline([], undefined, undefined, { projection: { period: '2026-11', value: 10, shown: 10, status: 'red' } }).includes('spark-projection'));
      assert.ok(!sparkline(series([['2026-10', 4]]), undefined, undefined, { projection: { period: '2026-11', value: Number.NaN, shown: Number.NaN, status: 'red' } }).includes('spark-projection'));
    });
  });
});
