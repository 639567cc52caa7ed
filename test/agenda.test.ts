// The weekly review's agenda (scorecard/agenda.ts, docs/agenda.md) on small
// workspaces whose answers are worked out by hand below: each kind of item,
// the 14-day window of SOP reviews at its edges, a joint review once per pair
// per owner naming the other, the ownerless group, the order, the filters,
// and the renderers (JSON positions, Markdown escaping, HTML).
import * as assert from 'node:assert/strict';
import { agendaFilterProblem, buildAgenda, filterAgenda, type Agenda, type AgendaItem } from '../server/src/language/scorecard/agenda';
import { buildScorecardModel } from '../server/src/language/scorecard/build';
import { renderAgendaHtml, renderAgendaJson, renderAgendaMarkdown } from '../server/src/language/scorecard/render/agenda';
import { parseDate } from '../server/src/language/model/periods';
import { createWorkspace } from '../server/src/language/service';
import { AGENDA_WORKSPACE, ORG } from './support/agenda-fixture';
import { MemoryFileSystem } from './support/memory-fs';

// A Sunday: ISO week 2026-W47 (16–22 November) is not complete yet, so the
// last complete week is 2026-W46 (9–15 November) and the last complete month
// is October.
const TODAY = '2026-11-22';

function workspace(files: Record<string, string>, today = TODAY) {
  const day = parseDate(today)!;
  const fsys = new MemoryFileSystem(Object.fromEntries(Object.entries(files).map(([k, v]) => [`/ws/${k}`, v])));
  const kpis = Object.entries(files).map(([key, text]) => ({ key, path: `/ws/${key}`, text }));
  return createWorkspace({ root: '/ws', fs: fsys, today: () => day, files: kpis });
}

function agendaOf(files: Record<string, string>, today = TODAY): Agenda {
  return buildScorecardModel(workspace(files, today)).agenda!;
}

const brief = (i: AgendaItem) => `${i.kind} ${i.subject}${i.with ? ` with ${i.with}` : ''}`;

describe('weekly review agenda', () => {
  const agenda = agendaOf(AGENDA_WORKSPACE);
  const group = (owner: string | null) => agenda.owners.find((g) => g.owner === owner)!;
  const item = (owner: string | null, kind: string, subject: string) => group(owner).items.find((i) => i.kind === kind && i.subject === subject)!;

  it('lists each owner with what needs them, owners by title (case-insensitive) and nobody last, items by kind then place', () => {
    assert.equal(agenda.today, TODAY);
    assert.deepEqual(
      agenda.owners.map((g) => [g.owner, g.title, g.items.map(brief)]),
      [
        ['Zed', 'data analyst', ['sop-review SopToday']],
        ['Planner', 'Ops planner', ['amber Delivery', 'at-risk Margin', 'sop-review SopEdge', 'joint-review Delivery with Growth']],
        ['Seller', 'Sales lead', ['red Growth', 'stale-data Leads', 'stale-data Pipeline', 'joint-review Growth with Delivery']],
        [null, 'Nobody', ['red Orphan', 'sop-review SopOverdue']],
      ],
    );
    assert.deepEqual(group('Planner').function, { name: 'Ops', title: 'Operations' });
    assert.equal(group(null).function, undefined);
  });

  it('says why a KPI is red or amber, with where it is declared', () => {
    const red = item('Seller', 'red', 'Growth');
    assert.equal(red.text, '9 (2026-10) misses amber >= 12.');
    assert.equal(red.title, 'Sell-out growth');
    assert.deepEqual(red.where, { file: 'kpis.kpi', line: 0, character: 4 });
    assert.equal(item('Planner', 'amber', 'Delivery').text, '92 (2026-10) misses green >= 95 but meets amber >= 90.');
  });

  it('puts a green KPI whose line lands in amber on the agenda as at risk, with the projection', () => {
    // By hand: x = days before 2026-10-31 of each period's last day (-61, -31, 0), y = 16, 13, 10.5.
    // Mean x -30.667, mean y 13.1667; slope = -167.667 / 1860.667 = -0.090111 a day (-2.7 over November's 30 days);
    // at 2026-11-30 (x = 30): 13.1667 - 0.090111 × 60.667 = 7.70, in the amber band (>= 5, not >= 10).
    const risk = item('Planner', 'at-risk', 'Margin');
    assert.equal(risk.status, 'green');
    assert.equal(risk.projected!.period, '2026-11');
    assert.equal(risk.projected!.date, '2026-11-30');
    assert.equal(risk.projected!.status, 'amber');
    assert.ok(Math.abs(risk.projected!.value - 7.6999) < 0.001, String(risk.projected!.value));
    assert.equal(risk.text, 'Green now, but a straight line through the latest 3 actuals (-2.7 a month) reaches 7.7%, amber, by 2026-11 (2026-11-30).');
    // Amber and red KPIs are listed as such; a green KPI with no worse projection is not on the agenda at all.
    assert.ok(!agenda.owners.some((g) => g.items.some((i) => i.subject === 'Quiet')));
  });

  it('names the period whose value is due for stale data', () => {
    const weekly = item('Seller', 'stale-data', 'Leads');
    assert.equal(weekly.period, '2026-W46');
    assert.equal(weekly.text, 'The latest actual is for 2026-W45; the weekly value for 2026-W46 is due.');
    const monthly = item('Seller', 'stale-data', 'Pipeline');
    assert.equal(monthly.period, '2026-10');
    assert.equal(monthly.text, 'The latest actual is for 2026-09; the monthly value for 2026-10 is due.');
  });

  it('takes SOP reviews overdue or due within 14 days: yesterday, today and day 14 in, day 15 and no cadence out', () => {
    const overdue = item(null, 'sop-review', 'SopOverdue');
    assert.deepEqual([overdue.due, overdue.overdue], ['2026-11-21', true]);
    assert.equal(overdue.text, 'Review overdue since 2026-11-21 (every 2 weeks; last reviewed 2026-11-07).');
    const today = item('Zed', 'sop-review', 'SopToday');
    assert.deepEqual([today.due, today.overdue], ['2026-11-22', false]);
    assert.equal(today.text, 'Review due today, 2026-11-22 (every 2 weeks; last reviewed 2026-11-08).');
    const edge = item('Planner', 'sop-review', 'SopEdge');
    assert.deepEqual([edge.due, edge.overdue], ['2026-12-06', false]);
    assert.equal(edge.text, 'Review due 2026-12-06, in 14 days (every 14 days; last reviewed 2026-11-22).');
    const subjects = agenda.owners.flatMap((g) => g.items.map((i) => i.subject));
    assert.ok(!subjects.includes('SopOut'), 'due 2026-12-07, 15 days away');
    assert.ok(!subjects.includes('SopNoCadence'));
    // A day later the 14-day window takes in SopOut (due 2026-12-07 = 2026-11-23 + 14).
    const later = agendaOf(AGENDA_WORKSPACE, '2026-11-23');
    assert.equal(later.owners.find((g) => g.owner === 'Seller')!.items.find((i) => i.subject === 'SopOut')?.text, 'Review due 2026-12-07, in 14 days (every 4 weeks; last reviewed 2026-11-09).');
  });

  it('puts a joint review on both owners\' agendas once, each naming the other owner and the partner KPI', () => {
    const seller = item('Seller', 'joint-review', 'Growth');
    assert.equal(seller.with, 'Delivery');
    assert.equal(seller.withTitle, 'On-time delivery');
    assert.deepEqual(seller.withOwner, { name: 'Planner', title: 'Ops planner', function: { name: 'Ops', title: 'Operations' } });
    assert.equal(seller.text, 'Sell-out growth (red) depends on On-time delivery (amber), owned by Ops planner (Operations): review the hand-off together.');
    const planner = item('Planner', 'joint-review', 'Delivery');
    assert.equal(planner.with, 'Growth');
    assert.deepEqual(planner.withOwner, { name: 'Seller', title: 'Sales lead', function: { name: 'Sales', title: 'Sales' } });
    assert.equal(planner.text, 'On-time delivery (amber) is depended on by Sell-out growth (red), owned by Sales lead (Sales): review the hand-off together.');
    // Both KPIs are amber or red, so both have the joint-review diagnostic; still one meeting, once on each agenda.
    const joint = agenda.owners.flatMap((g) => g.items.filter((i) => i.kind === 'joint-review').map((i) => `${g.owner}:${i.subject}`));
    assert.deepEqual(joint, ['Planner:Delivery', 'Seller:Growth']);
  });

  it('names the two KPIs of one owner that meet the same partner as two items, each once', () => {
    const agenda2 = agendaOf({
      'org.kpi': ORG,
      'k.kpi': `kpi A "A" { owner Seller target >= 10 frequency monthly depends C actual 2026-10 1 }
kpi B "B" { owner Seller target >= 10 frequency monthly depends C actual 2026-10 1 }
kpi C "C" { owner Planner target >= 10 frequency monthly actual 2026-10 20 }
`,
    });
    const byOwner = Object.fromEntries(agenda2.owners.map((g) => [g.owner, g.items.filter((i) => i.kind === 'joint-review').map(brief)]));
    assert.deepEqual(byOwner, { Planner: ['joint-review C with A', 'joint-review C with B'], Seller: ['joint-review A with C', 'joint-review B with C'] });
  });

  it('narrows to one owner or one function, and rejects names the workspace does not have', () => {
    const model = buildScorecardModel(workspace(AGENDA_WORKSPACE));
    const planner = filterAgenda(model.agenda!, { owner: 'Planner' });
    assert.deepEqual(planner.owners.map((g) => g.owner), ['Planner']);
    assert.deepEqual(planner.filter, { owner: 'Planner' });
    assert.deepEqual(filterAgenda(model.agenda!, { function: 'Sales' }).owners.map((g) => g.owner), ['Seller']);
    assert.deepEqual(filterAgenda(model.agenda!, { owner: 'Planner', function: 'Sales' }).owners, []);
    assert.equal(filterAgenda(model.agenda!, {}), model.agenda);
    assert.equal(agendaFilterProblem(model, { owner: 'Zed', function: 'Ops' }), undefined);
    assert.equal(agendaFilterProblem(model, { owner: 'Sellr' }), 'unknown owner "Sellr": no role or team of that name (known: Planner, Seller, Zed)');
    assert.equal(agendaFilterProblem(model, { function: 'HR' }), 'unknown function "HR": no function of that name (known: Ops, Sales)');
  });

  it('is empty for a workspace where nothing needs anyone, and never throws on broken text', () => {
    assert.deepEqual(agendaOf({ 'org.kpi': ORG }).owners, []);
    const broken = agendaOf({ 'x.kpi': 'kpi { owner\nsop S { review every 0 weeks reviewed 2026-02-30 }\nkpi K { owner Ghost target >= 1 actual 2026-10 0 }' });
    assert.deepEqual(broken.owners.map((g) => [g.owner, g.title, g.items.map(brief)]), [['Ghost', 'Ghost', ['red K']]]);
  });

  it('in a file\'s view, lists what that file declares', () => {
    const model = buildScorecardModel(workspace(AGENDA_WORKSPACE), { kind: 'file', file: 'sops.kpi' });
    assert.deepEqual(
      model.agenda!.owners.map((g) => [g.owner, g.items.map(brief)]),
      [['Zed', ['sop-review SopToday']], ['Planner', ['sop-review SopEdge']], [null, ['sop-review SopOverdue']]],
    );
  });

  it('builds from a model made by hand, without at-risk items (the trend is not in the model)', () => {
    const model = buildScorecardModel(workspace(AGENDA_WORKSPACE));
    const plain = buildAgenda(model);
    assert.deepEqual(
      plain.owners.flatMap((g) => g.items.map(brief)),
      model.agenda!.owners.flatMap((g) => g.items.map(brief)).filter((b) => !b.startsWith('at-risk')),
    );
  });
});

describe('agenda renderers', () => {
  const agenda = agendaOf(AGENDA_WORKSPACE);

  it('JSON: today and owners with items, positions 1-based, the ownerless group with owner null', () => {
    const json = JSON.parse(renderAgendaJson(agenda)) as { today: string; owners: { owner: string | null; title: string; items: Record<string, unknown>[] }[] };
    assert.equal(json.today, TODAY);
    const seller = json.owners.find((g) => g.owner === 'Seller')!;
    assert.equal(seller.title, 'Sales lead');
    assert.deepEqual(seller.items[0], {
      kind: 'red',
      subject: 'Growth',
      title: 'Sell-out growth',
      file: 'kpis.kpi',
      line: 1,
      column: 5,
      text: '9 (2026-10) misses amber >= 12.',
      status: 'red',
    });
    const joint = seller.items.find((i) => i.kind === 'joint-review')!;
    assert.deepEqual(Object.keys(joint).slice(0, 4), ['kind', 'subject', 'title', 'with']);
    assert.equal(joint['with'], 'Delivery');
    assert.equal(json.owners.at(-1)!.owner, null);
    assert.equal(json.owners.at(-1)!.title, 'Nobody');
  });

  it('Markdown: one bold line per owner, one bullet per item, user text escaped, @mentions and #123 references broken', () => {
    const md = renderAgendaMarkdown(agenda);
    const lines = md.split('\n');
    assert.equal(lines[0], `## Weekly review — ${TODAY}`);
    assert.ok(lines.includes('11 items for 4 owners.'), md);
    assert.ok(lines.includes('**Sales lead** (Sales)'), md);
    assert.ok(lines.includes('**Nobody** — no owner declared'), md);
    assert.ok(lines.includes('- 🔴 Red — **Sell-out growth**: 9 (2026-10) misses amber &gt;= 12.'), md);
    assert.ok(lines.includes('- 📋 SOP review overdue — **Returns handling SOP**: Review overdue since 2026-11-21 (every 2 weeks; last reviewed 2026-11-07).'), md);
    const hostile = agendaOf({ 'k.kpi': 'role R "@devs <b>|" \nkpi K "@team `x` [a](b) Fix #123" { owner R target >= 1 actual 2026-10 0 }' });
    const text = renderAgendaMarkdown(hostile);
    assert.ok(!/(?<![A-Za-z0-9_])@(?!\u200B)/.test(text), text);
    assert.ok(text.includes('**@\u200Bdevs &lt;b&gt;\\|**'), text);
    assert.ok(text.includes('@\u200Bteam \\`x\\` \\[a\\](b)'), text);
    assert.ok(text.includes('(b) Fix \\#\u200B123'), 'no issue reference either');
    assert.equal(renderAgendaMarkdown(filterAgenda(agenda, { owner: 'Zed', function: 'Sales' })), `## Weekly review — ${TODAY} for Zed in the Sales function\n\nNothing on the agenda this week.\n`);
  });

  it('HTML: a self-contained document with one section per owner and nothing that runs', () => {
    const html = renderAgendaHtml(agenda, { nonce: 'n0nce', assets: { style: '.x{}', script: 'alert(1)' } });
    assert.match(html, /^<!DOCTYPE html>/);
    assert.ok(html.includes(`content="default-src 'none'; img-src data:; style-src 'nonce-n0nce'"`), 'only the inline style and the icons\' data URLs');
    assert.ok(!html.includes('<script'), 'no script');
    assert.equal((html.match(/<section class="agenda-owner/g) ?? []).length, 4);
    assert.equal((html.match(/<li class="card agenda-item/g) ?? []).length, 11);
    const hostile = agendaOf({ 'k.kpi': 'role R "<img src=x onerror=alert(1)>"\nkpi K "<script>alert(1)</script>" { owner R target >= 1 actual 2026-10 0 }' });
    const page = renderAgendaHtml(hostile, { nonce: 'n', assets: { style: '', script: '' } });
    assert.ok(!page.includes('<img') && !page.includes('<script>'), page);
  });
});
