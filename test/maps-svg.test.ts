// The maps' SVG: the accessibility contract of issue 13 item 6 (an
// <svg role="img"> with an aria-label; a <g> per node whose <title> is the
// element's title as written; a <g> per arrow whose <title> reads
// "<from> → <to>", with " (hand-off)" where it is one), status as icon and
// word, the marks (start, unreachable, loop, overdue SOP, joint review), the
// page's click-through attributes, and `kpi scorecard --format svg --map`.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseMapSelector, renderMapSvg } from '../server/src/language/scorecard/render/maps';
import { fittedCrossing } from '../server/src/language/scorecard/render/maps/handoffMap';
import { matchesFilters, type FilterKey } from '../client/media/src/logic';
import { renderHtml } from '../server/src/language/scorecard/render/html';
import type { ScorecardModel } from '../server/src/language/scorecard/model';
import { MAP_FIXTURE, supportModel } from './support/map-models';
import { assertBuilt, CLI, removeWorkspace, tempWorkspace, TODAY } from './support/lsp';
import { hostileModel, realisticModel } from './support/scorecard-models';
import { webviewAssets } from './support/webview-assets';

/** The SVG of one map of a model, or a failed assertion. */
function svgOf(model: ScorecardModel, selector: string): string {
  const parsed = parseMapSelector(selector);
  assert.ok(parsed, selector);
  const result = renderMapSvg(model, parsed);
  assert.ok('svg' in result, 'error' in result ? result.error : '');
  return result.svg;
}

/** The <title> of every group of a class (`map-node`, `map-edge`), in document order. */
function titles(svg: string, cls: string): string[] {
  const out: string[] = [];
  const pattern = new RegExp(`<g class="${cls}(?: [^"]*)?"[^>]*><title>([^<]*)</title>`, 'g');
  for (const match of svg.matchAll(pattern)) out.push(unescape(match[1]!));
  return out;
}

function unescape(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

/** The group of the node titled `title`. */
function node(svg: string, title: string): string {
  const start = svg.indexOf(`<title>${title}</title>`);
  assert.ok(start >= 0, `a node titled ${title}`);
  const open = svg.lastIndexOf('<g class="map-node', start);
  const next = svg.indexOf('<g class="map-node', start);
  return svg.slice(open, next < 0 ? svg.length : next);
}

describe('maps as SVG', () => {
  const model = supportModel();

  it('writes each map as an <svg role="img"> with an aria-label that says what it shows', () => {
    const process = svgOf(model, 'process:Tickets');
    assert.match(process, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="kpi-map map-process" role="img" aria-label="Process map of Ticket handling: 9 steps in 4 lanes, \d+ hand-offs"/);
    assert.match(svgOf(model, 'strategy'), /role="img" aria-label="Strategy map: 5 objectives in 5 bands, 4 drives links"/);
    assert.match(svgOf(model, 'handoffs'), /role="img" aria-label="Hand-off map: 3 functions, 3 connections between them"/);
    // A file of its own carries its style; it has no script and no page attributes.
    assert.match(process, /<style>/);
    assert.doesNotMatch(process, /<script|data-file|tabindex/);
  });

  it('titles each step node as written and each arrow "from → to", with " (hand-off)" where owners differ', () => {
    const svg = svgOf(model, 'process:Tickets');
    assert.deepEqual(titles(svg, 'map-node').sort(), [
      'Archived by hand',
      'Defect fixed',
      'Escalated to engineering',
      'Fix verified with the customer',
      'Refund decided',
      'Resolved by support',
      'Ticket closed',
      'Ticket received',
      'Ticket triaged',
    ]);
    const arrows = titles(svg, 'map-edge');
    assert.equal(arrows.length, 9, 'an arrow per next');
    for (const expected of [
      'Ticket received → Ticket triaged',
      'Ticket triaged → Resolved by support',
      'Ticket triaged → Escalated to engineering (hand-off)',
      'Defect fixed → Fix verified with the customer (hand-off)',
      'Fix verified with the customer → Defect fixed (hand-off)',
      'Resolved by support → Ticket closed (hand-off)',
      'Ticket closed → Refund decided (hand-off)',
    ]) {
      assert.ok(arrows.includes(expected), `${expected} in ${arrows.join(' | ')}`);
    }
  });

  it('marks the entry, the unreachable step, the loop, hand-offs between functions and the overdue SOP', () => {
    const svg = svgOf(model, 'process:Tickets');
    assert.match(node(svg, 'Ticket received'), /class="map-node step entry"/);
    assert.match(node(svg, 'Ticket received'), />start</);
    assert.match(node(svg, 'Archived by hand'), /class="map-node step unreachable"/);
    assert.match(node(svg, 'Archived by hand'), />unreachable</);
    assert.match(svg, /<g class="map-edge handoff cross-function back"><title>Fix verified with the customer → Defect fixed \(hand-off\)<\/title><desc>loops back, hand-off between functions<\/desc><path [^>]*marker-end="url\(#kpi-map-open\)"/);
    assert.match(svg, /<g class="map-edge handoff cross-function"><title>Ticket triaged → Escalated to engineering \(hand-off\)/);
    assert.match(svg, /<g class="map-edge handoff"><title>Resolved by support → Ticket closed \(hand-off\)/);
    assert.match(svg, /<g class="map-edge flow"><title>Ticket received → Ticket triaged<\/title>/);
    assert.match(node(svg, 'Ticket triaged'), /SOP: Triage guide<tspan class="overdue"> · ⚠ review overdue<\/tspan>/);
  });

  it('shows every KPI at its step with the icon and the word of its status, never colour alone', () => {
    const svg = svgOf(model, 'process:Tickets');
    const triage = node(svg, 'Ticket triaged');
    assert.match(triage, /<g class="sicon map-sicon st-amber"[^>]*aria-hidden="true">/);
    assert.match(triage, /Amber · First response within 4 h/);
    assert.match(node(svg, 'Defect fixed'), /st-red[\s\S]*Red · Days to fix/);
    assert.match(node(svg, 'Refund decided'), /st-no-data[\s\S]*No data · Refund cost per month/);
  });

  it('draws the strategy map: bands bottom up, objective status (LANGUAGE.md 4.1), drives and dashed depends', () => {
    const svg = svgOf(model, 'strategy');
    const bands = [...svg.matchAll(/class="map-band-label"[^>]*>([^<]*)</g)].map((match) => unescape(match[1]!));
    assert.deepEqual(bands, ['Financial', 'Customer', 'Internal process', 'Learning & growth', 'No perspective']);
    assert.match(node(svg, 'Customers happy with support'), /Amber · objective/, 'the worst of its supporters (amber and green)');
    assert.match(node(svg, 'Lower the cost of service'), /No data · objective/);
    const arrows = titles(svg, 'map-edge');
    for (const drives of ['Every agent skilled at triage → Defects fixed fast', 'Defects fixed fast → Customers happy with support', 'Customers happy with support → Lower the cost of service']) {
      assert.ok(arrows.includes(drives), drives);
    }
    assert.match(svg, /<g class="map-edge depends"><title>Defects fixed fast → Customers happy with support<\/title><desc>KPI dependencies: Customer satisfaction depends on Days to fix an escalated defect<\/desc><path [^>]*marker-end="url\(#kpi-map-open\)"/);
  });

  it('draws the hand-off map: functions with KPI count and worst status, what crosses, "joint review" on amber or red', () => {
    const svg = svgOf(model, 'handoffs');
    assert.deepEqual(titles(svg, 'map-node').sort(), ['Customer support', 'Engineering', 'Finance']);
    assert.match(node(svg, 'Engineering'), /1 KPI[\s\S]*st-red[\s\S]*Red · worst/);
    assert.match(node(svg, 'Customer support'), /3 KPIs[\s\S]*Amber · worst/);
    const arrows = titles(svg, 'map-edge');
    assert.ok(arrows.includes('Customer support → Engineering (hand-off)'));
    assert.ok(arrows.includes('Customer support → Finance (hand-off)'));
    assert.match(
      svg,
      /<title>Engineering → Customer support \(hand-off\)<\/title><desc>Customer satisfaction needs Days to fix an escalated defect; Defect fixed → Fix verified with the customer; Red · joint review<\/desc>/,
    );
    assert.match(svg, /class="map-edge-label joint-review st-red"/);
    assert.match(svg, /<desc>Refund cost per month needs Customer satisfaction; Ticket closed → Refund decided; Green<\/desc>/, 'green is worded, without a joint review');
  });

  it('labels what crosses by titles, each end cut to the label with "…", and keeps the whole text in the label\'s <title>', () => {
    const svg = svgOf(model, 'handoffs');
    const labels = [...svg.matchAll(/<g class="map-edge-label[^"]*" aria-hidden="true"><title>([^<]*)<\/title>([\s\S]*?)<\/g>(?=<g class="map-(?:edge-label|node)|<\/svg)/g)];
    assert.equal(labels.length, 3, 'a label per edge');
    const whole = labels.map((label) => label[1]!.split('\n'));
    assert.deepEqual(whole.find((lines) => lines[0]!.startsWith('Customer satisfaction')), ['Customer satisfaction needs Days to fix an escalated defect', 'Defect fixed → Fix verified with the customer', 'Red · joint review']);
    const shown = labels.map((label) => [...label[2]!.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((text) => text[1]!));
    // Too long for the label: both titles are cut, so the line still names each end.
    assert.ok(shown.some((lines) => lines.includes('Customer satis… needs Days to fix an …')), JSON.stringify(shown));
    // Only the longer title is cut where the shorter one fits in half the room.
    assert.ok(shown.some((lines) => lines.includes('Fix verified with the … → Defect fixed')), JSON.stringify(shown));
    assert.ok(shown.some((lines) => lines.includes('Ticket closed → Refund decided')), 'a line that fits is whole');
    for (const lines of shown) for (const line of lines) assert.doesNotMatch(line, /\b(FixTime|Satisfaction needs|Fix → Verify)\b/, 'no declaration names');
  });

  it('fits a crossing to any room: each end keeps what it can, never less than a character', () => {
    const crossing = { kind: 'hand-off', process: 'P', from: 'A', to: 'B', fromTitle: 'A long first step title', toTitle: 'Short' } as const;
    assert.equal(fittedCrossing(crossing, 100), 'A long first step title → Short');
    assert.equal(fittedCrossing(crossing, 20), 'A long firs… → Short');
    assert.equal(fittedCrossing({ ...crossing, toTitle: 'An equally long last step' }, 21), 'A long f… → An equal…');
    assert.equal(fittedCrossing({ kind: 'depends', from: 'X', to: 'Y', fromTitle: 'Supplier KPI title', toTitle: 'Y' }, 14), 'Y needs Suppl…');
    for (let room = 0; room < 40; room++) assert.ok(Array.from(fittedCrossing(crossing, room)).length <= Math.max(room, 5), `room ${room}`);
  });

  it('says which process is unknown, and which selectors exist', () => {
    assert.equal(parseMapSelector('nonsense'), undefined);
    assert.deepEqual(parseMapSelector('process:A.B'), { kind: 'process', process: 'A.B' });
    const result = renderMapSvg(model, { kind: 'process', process: 'Nope' });
    assert.deepEqual(result, { error: 'no process named "Nope"; the processes are Tickets' });
  });

  it('in the page: focusable nodes with the click-through and filter data of their cards, no <style> in the SVG', () => {
    const html = renderHtml(model, { mode: 'export', nonce: 'n0nce', assets: webviewAssets() });
    const maps = html.match(/<svg class="kpi-map[\s\S]*?<\/svg><\/div>/g) ?? [];
    assert.equal(maps.length, 3, 'a process map, the strategy map and the hand-off map');
    for (const map of maps) assert.doesNotMatch(map, /<style|xmlns=/);
    assert.match(html, /<g class="map-node step clickable filterable" tabindex="0" data-kind="step" data-name="Tickets.Triage" data-file="support.kpi" data-line="17" data-character="7" data-f-owner="\[&#34;Agent&#34;\]" data-f-function="\[&#34;Support&#34;\]" data-f-status="\[&#34;amber&#34;,&#34;overdue&#34;\]"/);
    assert.match(html, /<g class="map-node objective st-amber clickable filterable" tabindex="0" data-kind="objective" data-name="HappyCustomers"/);
    assert.match(html, /<g class="map-node function clickable filterable" tabindex="0" data-kind="function" data-name="Finance" data-file="support.kpi"/);
    // Marker ids are unique in the page.
    const ids = [...html.matchAll(/<marker id="([^"]+)"/g)].map((match) => match[1]);
    assert.equal(new Set(ids).size, ids.length);
    assert.match(html, /<a class="tab" id="tab-handoffs" href="#view-handoffs" data-view="handoffs">Hand-offs<span class="tab-count">3<\/span><\/a>/);
  });

  it('in the page: the Status filter narrows objective cards and strategy-map nodes by the objective\'s status (LANGUAGE.md 4.1)', () => {
    const realistic = realisticModel();
    const html = renderHtml(realistic, { mode: 'export', nonce: 'n0nce', assets: webviewAssets() });
    // Each objective appears twice, as a card and as a node, both with the filter data the panel's script reads.
    const objectives = [...html.matchAll(/<(?:article|g) class="[^"]*\bobjective\b[^"]*filterable"[^>]*data-name="([^"]+)"[^>]*>/g)];
    assert.equal(objectives.length, 2 * realistic.objectives.length);
    const shown = (status: string) => {
      const names = objectives.filter(([tag]) => {
        const values = (key: FilterKey) => {
          const raw = /data-f-([a-z]+)="([^"]*)"/g;
          for (const [, name, value] of tag.matchAll(raw)) if (name === key) return JSON.parse(value!.replace(/&#34;/g, '"').replace(/&#38;/g, '&')) as string[];
          return null;
        };
        return matchesFilters({ values, search: null }, { status }, []);
      });
      return [...new Set(names.map((match) => match[1]))].sort();
    };
    const byStatus = (status: string) => realistic.objectives.filter((o) => o.status === status).map((o) => o.name).sort();
    for (const status of ['red', 'amber', 'green', 'no-data']) assert.deepEqual(shown(status), byStatus(status), status);
    assert.deepEqual(byStatus('red'), ['DelightCustomers'], 'the realistic model has a red objective');
    // An objective whose status rests on a stale KPI shows under "Stale" too; none is an SOP with an overdue review.
    assert.deepEqual(shown('stale'), ['GrowAPlus']);
    assert.deepEqual(shown('overdue'), []);
  });

  it('escapes everything a hostile model writes, and draws the realistic model', () => {
    const html = renderHtml(hostileModel(), { mode: 'export', nonce: 'n0nce', assets: webviewAssets() });
    const maps = (html.match(/<svg class="kpi-map[\s\S]*?<\/svg><\/div>/g) ?? []).join('');
    assert.doesNotMatch(maps, /<img|<script|<svg onload/i);
    assert.match(maps, /<title>&#60;img src=x onerror=alert\(1\)&#62;<\/title>/);
    const realistic = realisticModel();
    for (const process of realistic.processes) assert.match(svgOf(realistic, `process:${process.name}`), /^<svg /);
  });

  it('writes the same SVG twice for the same model', () => {
    assert.equal(svgOf(supportModel(), 'process:Tickets'), svgOf(model, 'process:Tickets'));
    assert.equal(svgOf(supportModel(), 'strategy'), svgOf(model, 'strategy'));
    assert.equal(svgOf(supportModel(), 'handoffs'), svgOf(model, 'handoffs'));
  });
});

describe('kpi scorecard --format svg --map (dist/cli.cjs)', () => {
  let root: string;
  before(() => {
    assertBuilt(CLI);
    root = tempWorkspace({ 'support.kpi': fs.readFileSync(MAP_FIXTURE, 'utf8') });
  });
  after(() => removeWorkspace(root));
  const kpi = (args: string[]) => spawnSync(process.execPath, [CLI, ...args, '--today', TODAY], { cwd: root, encoding: 'utf8' });

  it('writes one map as SVG to stdout or to an .svg file', () => {
    const run = kpi(['scorecard', '--format', 'svg', '--map', 'process:Tickets']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="kpi-map map-process" role="img"/);
    const file = kpi(['scorecard', '--map=strategy', '-o', 'strategy.svg']);
    assert.equal(file.status, 0, file.stderr);
    assert.match(fs.readFileSync(path.join(root, 'strategy.svg'), 'utf8'), /aria-label="Strategy map/);
    assert.match(kpi(['scorecard', '--format', 'svg', '--map', 'handoffs']).stdout, /aria-label="Hand-off map/);
  });

  for (const [args, message] of [
    [['scorecard', '--format', 'svg'], /add --map/],
    [['scorecard', '--format', 'svg', '--map', 'flowchart'], /--map must be process:Name, strategy or handoffs, not "flowchart"/],
    [['scorecard', '--format', 'svg', '--map', 'process:Nope'], /no process named "Nope"; the processes are Tickets/],
    [['scorecard', '--format', 'html', '--map', 'strategy'], /--map applies to --format svg only/],
    [['check', '--map', 'strategy'], /--map is an option of kpi scorecard/],
  ] as [string[], RegExp][]) {
    it(`is 2 on bad usage: kpi ${args.join(' ')}`, () => {
      const run = kpi(args);
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
    });
  }
});
