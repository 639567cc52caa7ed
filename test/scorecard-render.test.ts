// The scorecard renderers (HTML, CSV, Markdown, JSON, sparkline) on
// hand-built models: a small realistic one and a hostile one in which every
// user-written string is an attack.
import * as assert from 'node:assert/strict';
import { renderCsv, renderHtml, renderJson, renderMarkdown, renderReport, sparkline, sparklineLabel } from '../server/src/language/scorecard/render/index';
import { CSV_COLUMNS, csvField, neutraliseFormula, UTF8_BYTE_ORDER_MARK } from '../server/src/language/scorecard/render/csv';
import { anchorId } from '../server/src/language/scorecard/render/html';
import { escapeMarkdown } from '../server/src/language/scorecard/render/markdown';
import { HOSTILE, hostileModel, realisticModel, series } from './support/scorecard-models';
import type { ScorecardModel } from '../server/src/language/scorecard/model';
import { webviewAssets } from './support/webview-assets';

const NONCE = 'r4nd0mN0nce';

/** The visible text of an HTML document: scripts and styles dropped, tags removed, entities decoded. */
function textOf(html: string): string {
  return html
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, ' ')
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, ' ')
    .replace(/<title>[\s\S]*?<\/title>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/[ \t\r\n]+/g, ' ');
}

function decode(value: string): string {
  return value.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n))).replace(/&amp;/g, '&').replace(/&quot;/g, '"');
}

interface Tag {
  name: string;
  attrs: Map<string, string>;
  raw: string;
}

/**
 * Every start tag of the markup outside <script> and <style>. The renderer
 * escapes `<` in text and `"` in attribute values, so every raw `<` starts a
 * real tag and a double-quoted value cannot end early.
 */
function tagsOf(html: string): Tag[] {
  const body = html.replace(/(<script\b[^>]*>)[\s\S]*?(<\/script>)/g, '$1$2').replace(/(<style\b[^>]*>)[\s\S]*?(<\/style>)/g, '$1$2');
  const tags: Tag[] = [];
  for (const m of body.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=/>]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    const attrs = new Map<string, string>();
    for (const a of m[2]!.matchAll(/\s+([^\s=/>]+)(?:="([^"]*)")?/g)) attrs.set(a[1]!.toLowerCase(), decode(a[2] ?? ''));
    tags.push({ name: m[1]!.toLowerCase(), attrs, raw: m[0] });
  }
  // Every `<` that is not a tag the pattern understood would be a parse surprise.
  const lt = (body.match(/<[a-zA-Z]/g) ?? []).length;
  assert.equal(tags.length, lt, 'every start tag is well formed (quoted attributes only)');
  return tags;
}

const ALLOWED_TAGS = new Set([
  'html', 'head', 'meta', 'title', 'style', 'body', 'script', 'a', 'header', 'nav', 'main', 'footer', 'section', 'article', 'div', 'span', 'p',
  'h1', 'h2', 'h3', 'h4', 'h5', 'ul', 'ol', 'li', 'strong', 'em', 'code', 'time', 'label', 'input', 'select', 'option', 'button',
  // Icons are empty <i> painted through a mask the page's style holds (render/page/icons.ts).
  'i',
  'svg', 'title', 'path', 'circle', 'rect', 'line', 'text',
  // The maps (render/maps/).
  'figure', 'g', 'desc', 'defs', 'marker', 'tspan',
]);

/** The structural safety of a rendered document, whatever its content. */
function assertSafeDocument(html: string, nonce = NONCE): void {
  assert.ok(html.startsWith('<!DOCTYPE html>'), 'a complete document');
  const tags = tagsOf(html);
  for (const t of tags) {
    assert.ok(ALLOWED_TAGS.has(t.name), `unexpected <${t.name}>: ${t.raw.slice(0, 120)}`);
    for (const [name, value] of t.attrs) {
      assert.ok(!name.startsWith('on'), `event handler attribute ${name} in ${t.raw.slice(0, 120)}`);
      assert.notEqual(name, 'style', `style attribute in ${t.raw.slice(0, 120)}`);
      assert.notEqual(name, 'src', `src attribute in ${t.raw.slice(0, 120)}`);
      if (name === 'href') assert.ok(value.startsWith('#'), `only in-page links: ${value}`);
      if (name === 'xmlns') assert.equal(value, 'http://www.w3.org/2000/svg');
    }
  }
  const scripts = tags.filter((t) => t.name === 'script');
  assert.equal(scripts.length, 1, 'one script');
  assert.equal(scripts[0]!.attrs.get('nonce'), nonce);
  assert.equal(scripts[0]!.attrs.has('src'), false);
  assert.equal((html.match(/<\/script>/g) ?? []).length, 1, 'nothing closes the script early');
  const styles = tags.filter((t) => t.name === 'style');
  assert.equal(styles.length, 1, 'one style');
  assert.equal(styles[0]!.attrs.get('nonce'), nonce);
  const csp = tags.filter((t) => t.name === 'meta' && t.attrs.get('http-equiv') === 'Content-Security-Policy');
  assert.equal(csp.length, 1, 'a CSP meta');
  const policy = csp[0]!.attrs.get('content')!;
  assert.match(policy, /default-src 'none'/);
  assert.ok(policy.includes(`script-src 'nonce-${nonce}'`), policy);
  assert.ok(policy.includes(`style-src 'nonce-${nonce}'`), policy);
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|https?:|\*/);
  assert.ok(tags.findIndex((t) => t.name === 'meta' && t.attrs.has('http-equiv')) < tags.findIndex((t) => t.name === 'style'), 'the CSP comes before the style');
  // Nothing remote anywhere, not even in the CSS (a map's arrowheads are in-document: url(#…); the icons are data URLs).
  assert.doesNotMatch(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, ''), /https?:\/\/|url\((?!#|"data:image\/svg\+xml,)|@import/);
}

/** The start tags carrying data-kind, as { kind, name, file, line, character }. */
function clickTargets(html: string): { kind: string; name: string; file: string; line: string; character: string }[] {
  return tagsOf(html)
    .filter((t) => t.attrs.has('data-kind'))
    .map((t) => ({
      kind: t.attrs.get('data-kind')!,
      name: t.attrs.get('data-name')!,
      file: t.attrs.get('data-file')!,
      line: t.attrs.get('data-line')!,
      character: t.attrs.get('data-character')!,
    }));
}

/** A minimal RFC 4180 parser: records of fields. A leading byte-order mark is dropped, as a spreadsheet drops it. */
function parseCsv(marked: string): string[][] {
  const text = marked.startsWith(UTF8_BYTE_ORDER_MARK) ? marked.slice(1) : marked;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), (i += 2);
      else if (c === '"') (quoted = false), i++;
      else (field += c), i++;
    } else if (c === '"' && field === '') (quoted = true), i++;
    else if (c === ',') row.push(field), (field = ''), i++;
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), (i += 2);
    else {
      assert.ok(c !== '"' && c !== '\n' && c !== '\r', `a bare ${JSON.stringify(c)} outside quotes at ${i}`);
      (field += c), i++;
    }
  }
  assert.equal(quoted, false, 'quotes are balanced');
  assert.equal(field, '', 'the last record ends with CRLF');
  assert.equal(row.length, 0);
  return rows;
}

/** Keys whose string values are enumerations the renderers switch on, not user text. */
const ENUM_KEYS = new Set(['status', 'kind', 'perspective', 'indicator', 'op', 'source', 'relation', 'id', 'severity']);

/** The model with `suffix` after every user-written string (names too, consistently, so references still resolve). */
function withSuffix(model: ScorecardModel, suffix: string): ScorecardModel {
  const walk = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') return key !== undefined && ENUM_KEYS.has(key) ? value : `${value}${suffix}`;
    if (Array.isArray(value)) return value.map((v) => walk(v, key));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return value;
  };
  return walk(model) as ScorecardModel;
}

/**
 * Markdown as GitHub and GitLab see it when they look for mentions: the text
 * after rendering, with backslash escapes and entities resolved (both run
 * their mention filters on the HTML's text, outside code and links).
 */
function renderedText(markdown: string): string {
  return markdown.replace(/\\([\\`*_[\]|~#!])/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The @mentions GitHub (html-pipeline's pattern) or GitLab (its user reference pattern) would find in rendered text. */
function mentionsIn(text: string): string[] {
  const github = [...text.matchAll(/(?:^|[^A-Za-z0-9_])(@[a-z0-9][a-z0-9-]*)/gim)].map((m) => m[1]!);
  const gitlab = [...text.matchAll(/(?<![A-Za-z0-9_])(@[A-Za-z0-9_][A-Za-z0-9_.-]*)/g)].map((m) => m[1]!);
  return [...github, ...gitlab];
}

/** The cells of a Markdown table row, split on pipes that are not escaped. */
function cells(line: string): string[] {
  return line.split(/(?<!\\)\|/).slice(1, -1);
}

describe('scorecard rendering', () => {
  describe('HTML, realistic model', () => {
    const model = realisticModel();
    const html = renderHtml(model, { mode: 'export', nonce: NONCE, assets: webviewAssets() });
    const text = textOf(html);

    it('is a safe, self-contained document with a nonce CSP', () => {
      assertSafeDocument(html);
      assert.match(html, /<meta name="color-scheme" content="light dark">/);
      assert.match(html, /<html lang="en">/);
    });

    it('renders the same text every time (ids are per render)', () => {
      assert.equal(renderHtml(model, { mode: 'export', nonce: NONCE, assets: webviewAssets() }), html);
    });

    it('shows every KPI with its title, owner, target, latest value and unit', () => {
      for (const k of model.kpis) assert.ok(text.includes(k.title), k.title);
      assert.ok(text.includes('18.2% 2026-10'), 'latest value with unit and period');
      assert.ok(text.includes('Target ≥ 20%'));
      assert.ok(text.includes('Target ≤ 4 hours'));
      assert.ok(text.includes('Branch Manager · Sales'));
      assert.ok(text.includes('Target “always available” vague'));
      assert.ok(text.includes('-2.5 2026-10'), 'a negative value');
    });

    it('shows every perspective label and every status word, with an icon beside each word', () => {
      for (const label of ['Financial', 'Customer', 'Internal Process', 'Learning & Growth', 'Unplaced']) assert.ok(text.includes(label), label);
      for (const word of ['Green', 'Amber', 'Red', 'No data', 'Unscored']) {
        assert.ok(text.includes(word), word);
        assert.match(html, new RegExp(`<span class="chip st st-[a-z-]+"[^>]*><svg class="sicon"[^>]*>.*?</svg><span class="st-word">${word}</span>`), `${word} chip has an icon`);
      }
    });

    it('shows badges: leading/lagging, stale, frequency with its checkpoint', () => {
      assert.ok(text.includes('Leading'));
      assert.ok(text.includes('Lagging'));
      assert.ok(text.includes('Stale'));
      assert.ok(text.includes('Monthly · weekly checkpoint'));
      assert.ok(text.includes('Quarterly'));
    });

    it('places KPIs on no scorecard under their declared perspective, or Unplaced', () => {
      const unlisted = html.slice(html.indexOf('<section class="scorecard group unlisted"'));
      assert.ok(unlisted.length > 0 && unlisted.includes('Not on a scorecard'));
      const unlistedText = textOf(unlisted.slice(0, unlisted.indexOf('</section></div></section>') + 30));
      assert.ok(unlistedText.includes('Customer 1'), unlistedText.slice(0, 200));
      assert.ok(unlistedText.includes('Net promoter score'));
      assert.ok(unlistedText.includes('Unplaced 1'));
      assert.ok(unlistedText.includes('Display units available'));
    });

    it('draws a trend sparkline with the target for each KPI', () => {
      const sparks = html.match(/<svg class="spark[^"]*" role="img" aria-label="[^"]*"/g) ?? [];
      assert.equal(sparks.length, model.kpis.length);
      // SellOutGrowth's trend lands at 18.89… at the end of November (test/support/scorecard-models.ts): 18.9% for people, amber.
      assert.ok(html.includes('aria-label="Trend: 9.8% to 18.2% over 6 periods; target ≥ 20%; projected 18.9% for 2026-11: Amber"'));
    });

    it('gives every KPI card, step, SOP, objective and owner its source location', () => {
      const targets = clickTargets(html);
      const has = (kind: string, name: string) => targets.find((t) => t.kind === kind && t.name === name);
      for (const k of model.kpis) {
        const t = has('kpi', k.name);
        assert.ok(t, k.name);
        assert.deepEqual(t, { kind: 'kpi', name: k.name, file: k.where.file, line: String(k.where.line), character: String(k.where.character) });
      }
      for (const p of model.processes) for (const s of p.steps) assert.ok(has('step', `${p.name}.${s.name}`), s.name);
      for (const s of model.sops) assert.ok(has('sop', s.name), s.name);
      for (const o of model.objectives) assert.ok(has('objective', o.name), o.name);
      for (const o of model.owners) assert.ok(has('owner', o.name), o.name);
      // Focusable.
      assert.ok(tagsOf(html).filter((t) => t.attrs.get('data-kind') === 'kpi' && t.name === 'article').every((t) => t.attrs.get('tabindex') === '0'));
    });

    it('lists the joint reviews with the two owners to bring together', () => {
      const view = textOf(html.slice(html.indexOf('id="view-reviews"'), html.indexOf('id="view-processes"')));
      assert.ok(view.includes('A+ outlet monthly sell-out growth (Amber) depends on Promoters certified on the pitch SOP (Amber)'), view.slice(0, 400));
      assert.ok(view.includes('Branch Manager Sales'));
      assert.ok(view.includes('Training Lead Training & HR'));
      assert.ok(view.includes('Service Head After-sales Service'));
      assert.equal((view.match(/Joint review(?!s)/g) ?? []).length, model.jointReviews.length);
      assert.ok(view.includes('Red') && view.includes('Amber'));
    });

    it('draws each process as a flow of steps with owners, hand-offs, SOPs and KPIs', () => {
      const view = html.slice(html.indexOf('id="view-processes"'), html.indexOf('id="view-objectives"'));
      const t = textOf(view);
      for (const p of model.processes) {
        assert.ok(t.includes(p.title));
        for (const s of p.steps) assert.ok(t.includes(s.title), s.title);
      }
      // Lead logged (Sales Coordinator) → Customer contacted (Inside Sales); Visit → Pitch; Pitch → Install.
      assert.equal((view.match(/class="connector handoff"/g) ?? []).length, 3);
      assert.ok(t.includes('Hand-off to Inside Sales Rep at Customer contacted'));
      assert.ok(t.includes('Lead intake SOP'));
      assert.ok(t.includes('No SOP'));
      assert.ok(t.includes('Leads logged within 2 hours'), 'the KPI at its step');
      assert.ok(t.includes('Process owner: Branch Manager · Sales'));
      assert.ok(t.includes('4 steps · 1 hand-off'));
      // SOPs with their checklist and review state.
      assert.ok(t.includes('Standard operating procedures'));
      assert.ok(t.includes('Confirm installation visit'));
      assert.ok(t.includes('Review overdue'));
      assert.ok(t.includes('Customer is unsure'));
    });

    it('shows objectives with key results and supporting KPIs, and the depends links', () => {
      const t = textOf(html.slice(html.indexOf('id="view-objectives"'), html.indexOf('id="view-owners"')));
      for (const o of model.objectives) assert.ok(t.includes(o.title), o.title);
      assert.ok(t.includes('Key results'));
      assert.ok(t.includes('Supported by'));
      assert.ok(t.includes('18.2% / ≥ 20%'));
      assert.ok(t.includes('Unmeasured'));
      assert.ok(t.includes('KPI dependencies'));
      assert.ok(t.includes('First response time (No data) Inside Sales Rep · Sales needs Leads logged within 2 hours (Green)'), t);
      assert.equal((t.match(/Cross-function/g) ?? []).length, 2);
    });

    it('shows per owner the KPIs, steps and SOPs it owns, grouped by function', () => {
      const t = textOf(html.slice(html.indexOf('id="view-owners"'), html.indexOf('</main>')));
      for (const o of model.owners) assert.ok(t.includes(o.title), o.title);
      for (const f of model.functions) assert.ok(t.includes(f.title), f.title);
      assert.ok(t.includes('Area Sales Manager Role Sales KPIs Display units available (Unscored) Processes Store activation Steps Store activation › Promoter pitch & checklist SOPs Promoter Sales Pitch & Customer Verification SOP'), t);
    });

    it('has a header with the date and counts by status, and the tabs and filters', () => {
      const header = textOf(html.slice(0, html.indexOf('<main')));
      assert.ok(header.includes('as of 2026-11-22'));
      assert.ok(header.includes('8 KPIs 1 Red 2 Amber 3 Green 1 No data 1 Unscored 1 stale 3 joint reviews 1 SOP review overdue'), header);
      assert.ok(header.includes('0 errors and 3 warnings'));
      for (const tab of ['Scorecard', 'Joint reviews', 'Processes', 'Objectives', 'Owners']) assert.ok(header.includes(tab), tab);
      for (const key of ['perspective', 'owner', 'function', 'status']) assert.ok(html.includes(`<select data-filter="${key}">`), key);
      assert.ok(html.includes('<input type="search" id="search"'));
      // One scorecard: no scorecard filter.
      assert.ok(!html.includes('data-filter="scorecard"'));
    });

    it('in panel mode adds the webview source to the CSP and marks the mode', () => {
      const panel = renderHtml(model, { mode: 'panel', nonce: NONCE, assets: webviewAssets(), cspSource: 'https://file+.vscode-resource.vscode-cdn.net', title: 'Regional' });
      const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(panel)![1]!;
      assert.equal(
        decode(meta),
        `default-src 'none'; img-src data: https://file+.vscode-resource.vscode-cdn.net; style-src 'nonce-${NONCE}' https://file+.vscode-resource.vscode-cdn.net; script-src 'nonce-${NONCE}'; font-src https://file+.vscode-resource.vscode-cdn.net`,
      );
      assert.match(panel, /<body class="mode-panel" data-mode="panel">/);
      assert.match(panel, /<h1>Regional<\/h1>/);
      assert.match(panel, /typeof acquireVsCodeApi\s*[!=]==?\s*["']function["']/, 'the page script is inlined');
    });

    it('in a file’s view, shows the KPIs another file’s scorecard places, under that scorecard and perspective', () => {
      // sales.kpi in the examples: its KPIs are listed on strategy.kpi's scorecard, which its view does not hold.
      const full = realisticModel();
      const fileView = { ...full, scope: { kind: 'file' as const, file: 'kpis.kpi' }, scorecards: [] };
      const page = renderHtml(fileView, { mode: 'panel', nonce: NONCE, assets: webviewAssets() });
      const view = page.slice(page.indexOf('id="view-scorecard"'), page.indexOf('id="view-reviews"'));
      assert.ok(!view.includes('No KPI and no scorecard'), 'not said to be empty');
      const cards = [...view.matchAll(/<article class="card kpi[^"]*" id="kpi-([^"]+)"/g)].map((m) => m[1]);
      assert.deepEqual(cards.sort(), full.kpis.map((k) => k.name).sort(), 'every KPI of the view has its card');
      const placedName = full.scorecards[0]!.name;
      assert.ok(textOf(view).includes(`${placedName} declared in another file`), textOf(view).slice(0, 300));
    });

    it('makes ids safe for any name', () => {
      assert.equal(anchorId('kpi', 'SellOutGrowth'), 'kpi-SellOutGrowth');
      assert.match(anchorId('kpi', '<img src=x>"\'#'), /^[A-Za-z0-9_.-]+$/);
      assert.notEqual(anchorId('kpi', 'a b'), anchorId('kpi', 'a_b'));
    });

    it('renders an empty model without failing', () => {
      const empty = { ...model, scorecards: [], kpis: [], objectives: [], processes: [], sops: [], owners: [], functions: [], jointReviews: [], problems: { errors: 0, warnings: 0 } };
      const out = renderHtml(empty, { mode: 'export', nonce: NONCE, assets: webviewAssets() });
      assertSafeDocument(out);
      const t = textOf(out);
      assert.ok(t.includes('No KPI and no scorecard in this view yet'));
      assert.ok(t.includes('No joint review needed'));
      assert.ok(t.includes('No process in this view'));
    });
  });

  describe('HTML, hostile model', () => {
    const model = hostileModel();
    const html = renderHtml(model, { mode: 'export', nonce: NONCE, assets: webviewAssets(), title: HOSTILE[0] });

    it('is structurally safe: no injected tag, attribute, handler or script', () => {
      assertSafeDocument(html);
      assert.ok(!html.includes('<img'));
      assert.ok(!/<svg onload/i.test(html));
      assert.ok(!html.includes('</script><script>'));
      assert.ok(!html.includes('<b>'));
    });

    it('shows every hostile string as text', () => {
      const text = textOf(html);
      for (const h of HOSTILE) {
        const flat = h.replace(/[ \t\r\n]+/g, ' ');
        assert.ok(text.includes(flat.trim()), `shown as text: ${JSON.stringify(h)}`);
      }
      for (const k of model.kpis) assert.ok(text.includes(k.title.replace(/[ \t\r\n]+/g, ' ').trim()));
    });

    it('keeps hostile names intact in the data attributes', () => {
      const targets = clickTargets(html);
      for (const k of model.kpis) assert.ok(targets.some((t) => t.kind === 'kpi' && t.name === k.name && t.file === HOSTILE[1]), k.name);
      for (const t of tagsOf(html)) if (t.attrs.has('id')) assert.match(t.attrs.get('id')!, /^[A-Za-z0-9_.-]+$/);
    });

    it('escapes a hostile nonce instead of breaking out of the attribute', () => {
      const out = renderHtml(realisticModel(), { mode: 'export', nonce: '"><script>alert(1)</script>', assets: webviewAssets() });
      assert.equal((out.match(/<script/g) ?? []).length, 1);
    });
  });

  describe('CSV', () => {
    it('writes a header and one row per KPI, RFC 4180, with numbers as numbers', () => {
      const model = realisticModel();
      const csv = renderCsv(model);
      assert.ok(csv.endsWith('\r\n'));
      const rows = parseCsv(csv);
      assert.deepEqual(rows[0], [...CSV_COLUMNS]);
      assert.equal(rows.length, model.kpis.length + 1);
      for (const r of rows) assert.equal(r.length, CSV_COLUMNS.length);
      const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
      const sell = rows.find((r) => r[0] === 'SellOutGrowth')!;
      assert.equal(sell[col('title')], 'A+ outlet monthly sell-out growth');
      assert.equal(sell[col('perspective')], 'Financial');
      assert.equal(sell[col('scorecards')], 'Regional scorecard FY26');
      assert.equal(sell[col('owner')], 'Branch Manager');
      assert.equal(sell[col('owner function')], 'Sales');
      assert.equal(sell[col('target')], '>= 20');
      assert.equal(sell[col('unit')], '%');
      assert.equal(sell[col('green')], '>= 20');
      assert.equal(sell[col('amber')], '>= 12');
      assert.equal(sell[col('latest period')], '2026-10');
      assert.equal(sell[col('latest value')], '18.2');
      assert.equal(sell[col('status')], 'amber');
      assert.equal(sell[col('stale')], 'no');
      assert.equal(sell[col('frequency')], 'monthly');
      assert.equal(sell[col('indicator')], 'lagging');
      assert.equal(sell[col('steps')], 'StoreActivation.VisitStore');
      assert.equal(sell[col('file')], 'kpis.kpi');
      const display = rows.find((r) => r[0] === 'DisplayAvailability')!;
      assert.equal(display[col('latest value')], '-2.5', 'a negative number stays a number');
      assert.ok(csv.includes(',-2.5,'));
      assert.equal(display[col('perspective')], '');
      assert.equal(rows.find((r) => r[0] === 'PromoterCertification')![col('stale')], 'yes');
    });

    it('appends the trend after the old columns: slope, method, projection and at risk (LANGUAGE.md 4.2)', () => {
      // The columns a sheet made from an older export reads stay where they were.
      assert.deepEqual(CSV_COLUMNS.slice(0, 18), ['name', 'title', 'perspective', 'scorecards', 'owner', 'owner function', 'target', 'unit', 'green', 'amber', 'latest period', 'latest value', 'status', 'stale', 'frequency', 'indicator', 'steps', 'file']);
      assert.deepEqual(CSV_COLUMNS.slice(18), ['trend per period', 'trend method', 'projected period', 'projected date', 'projected value', 'projected status', 'at risk']);
      const model = realisticModel();
      // NetMargin is green at 13.1 (>= 12); a line falling 0.8 a month lands at 11.9 by November's end: red, so at risk.
      const netMargin = model.kpis.find((k) => k.name === 'NetMargin')!;
      netMargin.trend = { method: 'a straight line through the latest 3 actuals', actuals: 3, slopePerPeriod: -0.8, projected: { period: '2026-11', date: '2026-11-30', value: 11.9, shown: 11.9, status: 'red' } };
      const rows = parseCsv(renderCsv(model));
      for (const r of rows) assert.equal(r.length, CSV_COLUMNS.length);
      const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
      const trendOf = (name: string) => rows.find((r) => r[0] === name)!.slice(col('trend per period'));
      assert.deepEqual(trendOf('NetMargin'), ['-0.8', 'a straight line through the latest 3 actuals', '2026-11', '2026-11-30', '11.9', 'red', 'yes'], 'a negative slope stays a number');
      // SellOutGrowth's own trend: amber now and amber projected, so not at risk; numbers unrounded as the JSON has them (to six places).
      const sellOut = model.kpis.find((k) => k.name === 'SellOutGrowth')!.trend!;
      assert.deepEqual(trendOf('SellOutGrowth'), [String(Math.round(sellOut.slopePerPeriod * 1e6) / 1e6), sellOut.method, '2026-11', '2026-11-30', String(Math.round(sellOut.projected.value * 1e6) / 1e6), 'amber', 'no']);
      assert.deepEqual(trendOf('ComplaintRate'), ['', '', '', '', '', '', 'no'], 'no trend: empty cells, not at risk');
    });

    it('quotes and neutralises hostile text', () => {
      const model = hostileModel();
      const rows = parseCsv(renderCsv(model));
      assert.equal(rows.length, model.kpis.length + 1);
      for (const r of rows) assert.equal(r.length, CSV_COLUMNS.length);
      for (const r of rows.slice(1)) {
        for (const [i, cell] of r.entries()) {
          if (CSV_COLUMNS[i] === 'latest value') continue;
          assert.ok(!/^[=+\-@\t\r]/.test(cell) || /^-?\d+(\.\d+)?$/.test(cell), `neutralised: ${JSON.stringify(cell)}`);
        }
      }
      const titles = rows.slice(1).map((r) => r[1]);
      assert.ok(titles.includes("'=cmd|' /C calc'!A0") || rows.flat().includes("'=cmd|' /C calc'!A0"));
      assert.ok(rows.flat().includes("'+SUM(1,2)"));
      assert.ok(rows.flat().includes("'-2+3+cmd|x"));
      assert.ok(rows.flat().includes("'@SUM(A1)"));
      assert.ok(rows.flat().includes("'\tTAB=1"));
      assert.ok(rows.flat().includes('line one\nline two\r\n| --- |'), 'a line break survives inside quotes');
      assert.ok(rows.flat().includes(`"><svg onload=alert(1)> 'quoted' "double"`));
    });

    it('starts with a UTF-8 byte-order mark, so Excel reads non-ASCII titles; without it (--no-bom) the same text', () => {
      const model = realisticModel();
      model.kpis[0]!.title = 'Kundenzufriedenheit ≥ 90 % — Über·Straße';
      const plain = renderCsv(model, { byteOrderMark: false });
      const marked = renderCsv(model);
      assert.equal(marked, UTF8_BYTE_ORDER_MARK + plain);
      assert.equal(renderCsv(model, { byteOrderMark: true }), marked);
      assert.ok(!plain.startsWith(UTF8_BYTE_ORDER_MARK), 'no mark when told');
      // The panel's export renders through renderReport: the same text as kpi scorecard --format csv.
      assert.equal(renderReport('csv', model, { nonce: NONCE, assets: webviewAssets() }), marked);
      const bytes = Buffer.from(marked, 'utf8');
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      // A UTF-8 reader that honours the mark (as Excel does) gets the title back.
      assert.ok(new TextDecoder('utf-8').decode(bytes).includes('Kundenzufriedenheit ≥ 90 % — Über·Straße'));
      assert.deepEqual(parseCsv(new TextDecoder('utf-8').decode(bytes)), parseCsv(plain));
    });

    it('neutralises formula starts only in text, never in plain numbers', () => {
      assert.equal(csvField(-3.5), '-3.5');
      assert.equal(csvField(0), '0');
      assert.equal(csvField(undefined), '');
      assert.equal(csvField(Number.NaN), '');
      assert.equal(csvField('-3.5'), '-3.5');
      assert.equal(csvField('=1+2'), "'=1+2");
      assert.equal(csvField('-1+2'), "'-1+2");
      assert.equal(csvField('+1'), "'+1");
      assert.equal(csvField('@x'), "'@x");
      assert.equal(csvField('\r=x'), `"'\r=x"`);
      assert.equal(csvField('a,b'), '"a,b"');
      assert.equal(csvField('say "hi"'), '"say ""hi"""');
      assert.equal(csvField('>= 20'), '>= 20');
      assert.equal(neutraliseFormula('= 5'), "'= 5");
      assert.equal(neutraliseFormula('plain'), 'plain');
    });
  });

  describe('Markdown', () => {
    it('has the date, a summary, one table per perspective, joint reviews, stale KPIs and overdue SOPs', () => {
      const md = renderMarkdown(realisticModel());
      const lines = md.split('\n');
      assert.equal(lines[0], '## KPI Scorecard — 2026-11-22');
      assert.ok(md.includes('**8 KPIs** · 🔴 1 red · 🟡 2 amber · 🟢 3 green · ⚪ 1 no data · ⚫ 1 unscored · 1 stale · 3 joint reviews needed'));
      assert.ok(md.includes('### Regional scorecard FY26'));
      for (const p of ['**Financial**', '**Customer**', '**Internal Process**', '**Learning & Growth**', '### Not on a scorecard', '**Unplaced**']) assert.ok(md.includes(p), p);
      assert.ok(md.includes('| A+ outlet monthly sell-out growth (SellOutGrowth) | Branch Manager (Sales) | ≥ 20% | 18.2% (2026-10) | 🟡 Amber |'));
      assert.ok(md.includes('| First response time (ResponseTime) | Inside Sales Rep (Sales) | ≤ 4 hours | — | ⚪ No data |'));
      assert.ok(md.includes('🟡 Amber · stale |'));
      assert.ok(md.includes('### Joint reviews needed'));
      assert.ok(md.includes('bring together Branch Manager (Sales) and Training Lead (Training & HR)'));
      assert.ok(md.includes('### Stale KPIs\n\n- **Promoters certified on the pitch SOP**'));
      assert.ok(md.includes('### Overdue SOPs\n\n- **Promoter Sales Pitch & Customer Verification SOP** — review was due 2026-10-15'));
      assertTables(md, 5);
      assert.ok(md.endsWith('\n') && !md.endsWith('\n\n'));
    });

    it('keeps tables well formed and escapes hostile text', () => {
      const model = hostileModel();
      const md = renderMarkdown(model);
      assertTables(md, 5);
      // The Mermaid fences are code, not Markdown: test/scorecard-mermaid.test.ts checks them.
      const text = md.replace(/^```mermaid\n[\s\S]*?\n```$/gm, '');
      assert.ok(!/<[a-zA-Z/!]/.test(text), 'no raw HTML');
      assert.ok(!/(?<!\\)`/.test(text.replace('`kpi check`', '')), 'no code span but ours');
      assert.ok(!/(?<!\\)\[/.test(text), 'no link');
      assert.ok(md.includes('&lt;img src=x onerror=alert(1)&gt;'));
      assert.ok(md.includes('a \\| b \\| c \\`code\\` &lt;b&gt;bold&lt;/b&gt;'));
      assert.ok(md.includes('line one line two \\| --- \\|'), 'newlines flattened');
      assert.ok(!md.includes('\t'), 'tabs flattened');
      const tableRows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| KPI') && !l.startsWith('| ---'));
      assert.equal(tableRows.length, 5, 'three listed on the scorecard (one listed name is not a KPI), one by its perspective, one unplaced');
      assert.ok(md.includes('### Joint reviews needed\n\n- 🔴 Red'));
      assert.ok(md.includes('### Overdue SOPs\n\n- **'));
    });

    it('escapes every special character', () => {
      assert.equal(escapeMarkdown('a|b`c<d>e\nf\\g*h_i[j]\tk'), 'a\\|b\\`c&lt;d&gt;e f\\\\g\\*h\\_i\\[j\\] k');
    });

    it('breaks @mentions with a zero-width space, and leaves e-mail addresses alone', () => {
      assert.equal(escapeMarkdown('@team'), '@\u200Bteam');
      assert.equal(escapeMarkdown('ask @org/leads, (@sam) or <@ops>'), 'ask @\u200Borg/leads, (@\u200Bsam) or &lt;@\u200Bops&gt;');
      assert.equal(escapeMarkdown('*@bold*'), '\\*@\u200Bbold\\*');
      assert.equal(escapeMarkdown('ops@example.com'), 'ops@example.com');
      assert.equal(escapeMarkdown('_@x'), '\\_@x', 'after a word character neither service sees a mention');
      assert.equal(escapeMarkdown('é@team'), 'é@\u200Bteam', "GitHub's word characters are ASCII only");
    });

    it('breaks issue, pull-request, merge-request and epic references with a zero-width space after the sign', () => {
      assert.equal(escapeMarkdown('Fix #123'), 'Fix \\#\u200B123');
      assert.equal(escapeMarkdown('acme/app#7, GH-12 and gh-3'), 'acme/app\\#\u200B7, GH-\u200B12 and gh-\u200B3');
      assert.equal(escapeMarkdown('!42 &5 R&D'), '\\!\u200B42 &\u200B5 R&D');
      assert.equal(escapeMarkdown('#1 < 2'), '\\#\u200B1 &lt; 2', 'the &lt; escape is not touched');
      assert.equal(escapeMarkdown('Store #A, C# and SIGH-1'), 'Store \\#A, C\\# and SIGH-1', 'a sign before no digit, and GH- inside a word, stay as they are');
    });

    it('links to no issue: no user string it prints is a reference on GitHub or GitLab', () => {
      const suffix = ' Fix #123, acme/app#7, GH-12, !42 and &5';
      // GitHub's issue and GH- references, GitLab's issue, merge-request and epic references, as found in rendered text.
      const referencesIn = (text: string) => [...text.matchAll(/(?:[#!&]|\bGH-)\d+/gi)].map((m) => m[0]);
      assert.deepEqual(referencesIn(suffix), ['#123', '#7', 'GH-12', '!42', '&5'], 'the check finds references where there are some');
      for (const model of [withSuffix(realisticModel(), suffix), withSuffix(hostileModel(), suffix)]) {
        const md = renderMarkdown(model);
        // The Mermaid fences are code, where neither service looks for references.
        const shown = renderedText(md.replace(/^```mermaid\n[\s\S]*?\n```$/gm, ''));
        assert.deepEqual(referencesIn(shown), []);
        assert.ok(shown.replace(/\u200B/g, '').includes(suffix.trim()), 'a person still reads "Fix #123"');
        assertTables(md, 5);
      }
    });

    it('mentions no one: no user string it prints can notify a person or team on GitHub or GitLab', () => {
      const suffix = ' @team (@org/leads) *@bold* ops@example.com';
      assert.deepEqual(mentionsIn(suffix), ['@team', '@org', '@bold', '@team', '@org', '@bold'], 'the check finds mentions where there are some');
      for (const model of [withSuffix(realisticModel(), suffix), withSuffix(hostileModel(), suffix)]) {
        const md = renderMarkdown(model);
        const shown = renderedText(md);
        assert.deepEqual(mentionsIn(shown), []);
        // Every user string was printed with its mentions, which still read as "@team" to a person.
        const printed = (shown.match(/@\u200Bteam/g) ?? []).length;
        assert.ok(printed >= 20, `only ${printed} user strings printed`);
        assert.ok(shown.replace(/\u200B/g, '').includes('@team (@org/leads) *@bold* ops@example.com'));
        assertTables(md, 5);
      }
    });
  });

  describe('JSON', () => {
    it('is the model, pretty printed', () => {
      const model = realisticModel();
      const json = renderJson(model);
      assert.deepEqual(JSON.parse(json), model);
      assert.ok(json.startsWith('{\n  "version": 1,'));
      assert.ok(json.endsWith('}\n'));
    });
  });

  describe('sparkline', () => {
    const target = { op: '>=' as const, value: 20 };
    const coords = (svg: string) => {
      const out: [number, number][] = [];
      for (const m of svg.matchAll(/cx="([-\d.]+)" cy="([-\d.]+)"/g)) out.push([Number(m[1]), Number(m[2])]);
      for (const m of svg.matchAll(/d="M([-\d.]+) ([-\d.]+)h0"/g)) out.push([Number(m[1]), Number(m[2])]);
      for (const m of svg.matchAll(/<path class="spark-line" d="([^"]*)"/g)) for (const p of m[1]!.matchAll(/[ML]([-\d.]+) ([-\d.]+)/g)) out.push([Number(p[1]), Number(p[2])]);
      return out;
    };
    const inBounds = (svg: string, width: number, height: number) => {
      const cs = coords(svg);
      assert.ok(cs.length > 0);
      for (const [x, y] of cs) {
        assert.ok(Number.isFinite(x) && Number.isFinite(y), `${x},${y}`);
        assert.ok(x >= 0 && x <= width && y >= 0 && y <= height, `${x},${y} inside ${width}x${height}`);
      }
    };

    it('many points: a line, a point per actual, the latest emphasised, the target dashed, a readable label', () => {
      const actuals = series([['2026-05', 9.8], ['2026-06', 12.1], ['2026-07', 13.4], ['2026-08', 15], ['2026-09', 14.5], ['2026-10', 18.2]]);
      const svg = sparkline(actuals, target, undefined, { width: 120, height: 32, status: 'amber' });
      assert.match(svg, /^<svg [^>]*role="img"[^>]*aria-label="Trend: 9.8 to 18.2 over 6 periods; target ≥ 20"/);
      assert.match(svg, /<title>Trend: 9.8 to 18.2 over 6 periods; target ≥ 20<\/title>/);
      assert.equal((svg.match(/class="spark-point"/g) ?? []).length, 5);
      assert.equal((svg.match(/class="spark-latest status-amber"/g) ?? []).length, 1);
      assert.match(svg, /<line class="spark-target"[^>]*stroke-dasharray/);
      assert.equal((svg.match(/<path class="spark-line" d="M[^"]*"/g) ?? []).length, 1);
      inBounds(svg, 120, 32);
      // Rising values go up (smaller y), and the target (20) is above every point.
      const line = coords(svg.match(/<path class="spark-line"[^>]*>/)![0]);
      assert.ok(line[5]![1] < line[0]![1]);
      const ty = Number(/class="spark-target"[^>]*y1="([-\d.]+)"/.exec(svg)![1]);
      for (const [, y] of line) assert.ok(ty <= y);
      assert.ok(svg.endsWith('</svg>'));
    });

    it('no point: an empty chart that still says so', () => {
      const svg = sparkline([], target);
      assert.match(svg, /aria-label="Trend: no data; target ≥ 20"/);
      assert.ok(!svg.includes('spark-line') && !svg.includes('spark-point') && !svg.includes('spark-latest'));
      assert.ok(svg.includes('no data'));
      assert.ok(svg.includes('spark-target'));
      assert.equal(sparklineLabel([]), 'Trend: no data');
    });

    it('one point: centred, emphasised, no line', () => {
      const svg = sparkline(series([['2026-10', 18.2]]), undefined, undefined, { width: 100, height: 30, unit: '%' });
      assert.match(svg, /aria-label="Trend: 18.2% in 1 period \(2026-10\)"/);
      assert.ok(!svg.includes('spark-line'));
      assert.equal((svg.match(/class="spark-latest"/g) ?? []).length, 1);
      const [x, y] = coords(svg).at(-1)!;
      assert.equal(x, 50);
      assert.equal(y, 15);
    });

    it('equal values: a flat line in the middle', () => {
      const svg = sparkline(series([['2026-08', 5], ['2026-09', 5], ['2026-10', 5]]), undefined, undefined, { width: 100, height: 30 });
      const ys = new Set(coords(svg).map(([, y]) => y));
      assert.deepEqual([...ys], [15]);
      inBounds(svg, 100, 30);
      const zeros = sparkline(series([['2026-09', 0], ['2026-10', 0]]), undefined, undefined, { width: 100, height: 30 });
      inBounds(zeros, 100, 30);
    });

    it('negative values and a negative target stay inside the box', () => {
      const svg = sparkline(series([['2026-08', -4], ['2026-09', -12.5], ['2026-10', -1]]), { op: '<=', value: -20 }, { green: { op: '<=', value: -20 }, amber: { op: '<=', value: -10 } }, { width: 90, height: 24, unit: 'hours' });
      assert.match(svg, /aria-label="Trend: -4 hours to -1 hours over 3 periods; target ≤ -20 hours"/);
      inBounds(svg, 90, 24);
      assert.ok(svg.includes('spark-amber'));
    });

    it('ignores values that are not finite', () => {
      const svg = sparkline([{ period: 'a', value: Number.NaN }, { period: 'b', value: 3 }, { period: 'c', value: Number.POSITIVE_INFINITY }]);
      assert.match(svg, /Trend: 3 in 1 period \(b\)/);
      assert.ok(!/NaN|Infinity/.test(svg));
    });

    it('escapes hostile periods and units, and stretches when asked', () => {
      const svg = sparkline([{ period: '<img src=x onerror=alert(1)>', value: 1 }], undefined, undefined, { unit: '"><script>', stretch: true });
      assert.ok(!svg.includes('<img') && !svg.includes('<script'));
      assert.match(svg, /preserveAspectRatio="none"/);
      assert.match(svg, /vector-effect="non-scaling-stroke"/);
    });
  });
});

/** Every table: a header, a delimiter row, and rows with the same number of cells, each line one row. */
function assertTables(md: string, columns: number): void {
  const lines = md.split('\n');
  let tables = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('|')) continue;
    if (i === 0 || !lines[i - 1]!.startsWith('|')) {
      tables++;
      assert.equal(lines[i - 1], '', 'a blank line before a table');
      assert.match(lines[i + 1]!, /^\| ---( \| ---)* \|$/, 'a delimiter row');
    }
    assert.ok(lines[i]!.endsWith(' |'), `row ends with a pipe: ${lines[i]}`);
    assert.equal(cells(lines[i]!).length, columns, `columns of: ${lines[i]}`);
  }
  assert.ok(tables > 0, 'at least one table');
}
