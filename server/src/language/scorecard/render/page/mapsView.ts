// The maps in the page: a process map at the head of each process, the
// strategy map above the objectives, and the Hand-offs view. Each node
// carries the same data-* attributes as its card, so the page's script opens
// its declaration on click or Enter, highlights it for the editor's cursor
// and applies the filters to it; without the script the page shows the same
// SVG, static.
import type { ProcessCard } from '../../model';
import { MapSource, renderHandOffMap, renderProcessMap, renderStrategyMap, worstStatus } from '../maps';
import { escapeHtml as esc } from '../text';
import type { Context } from './context';
import { filterAttrs, PROCESS_MAP_CLAIM, whereAttrs } from './context';
import { objectiveFilterAttrs, stepFilterAttrs } from './filters';

/**
 * How much the page draws. A map is for reading at a glance: past these
 * sizes the page says so and points to the file's scorecard and to
 * `kpi scorecard --format svg --map …`, which draws any map whole. The
 * limits also keep a live update of a large workspace's panel quick.
 */
export const MAP_LIMITS = { processes: 40, objectives: 80, functions: 40 } as const;

function tooMany(what: string, count: number, limit: number, map: string): string {
  return `<p class="note map-omitted">The ${esc(what)} map is not drawn here: ${count} ${esc(what === 'strategy' ? 'objectives' : what === 'hand-off' ? 'functions' : 'processes')} are more than the ${limit} a page draws. Open a file's scorecard, or run <code>kpi scorecard --format svg --map ${esc(map)}</code>.</p>`;
}

/** One MapSource per page render: the maps share its lookups. */
const sources = new WeakMap<Context, MapSource>();

function sourceOf(ctx: Context): MapSource {
  let source = sources.get(ctx);
  if (!source) sources.set(ctx, (source = new MapSource(ctx.model)));
  return source;
}

const LINE_SAMPLE = (cls: string) => `<svg class="legend-line ${cls}" viewBox="0 0 36 10" width="36" height="10" aria-hidden="true"><path d="M1 5h34"/></svg>`;

function legend(items: [cls: string, words: string][]): string {
  return `<ul class="map-legend" aria-label="Legend">${items.map(([cls, words]) => `<li>${LINE_SAMPLE(cls)}<span>${esc(words)}</span></li>`).join('')}</ul>`;
}

function figure(kind: string, svg: string, legendHtml: string): string {
  return `<figure class="map-figure map-figure-${esc(kind)}"><div class="map-scroll">${svg}</div>${legendHtml}</figure>`;
}

/**
 * A process's map, for its section of the Processes view. The page draws the
 * first MAP_LIMITS.processes of them: each map drawn claims PROCESS_MAP_CLAIM,
 * so the section, memoized per process, is reused only where the count comes
 * out the same. The map draws the step's SOP and KPIs from the MapSource,
 * which holds the same first-of-a-name cards as the Context: reading them
 * through the Context too records them for the memo.
 */
export function processMapFigure(ctx: Context, process: ProcessCard): string {
  if (process.steps.length === 0) return '';
  if (ctx.processMapsFull(MAP_LIMITS.processes)) return tooMany('process', ctx.processCount(), MAP_LIMITS.processes, `process:${process.name}`);
  ctx.ids.claim(PROCESS_MAP_CLAIM);
  for (const step of process.steps) {
    if (step.sop !== undefined) ctx.sop(step.sop);
    for (const kpi of step.kpis) ctx.kpi(kpi);
  }
  const svg = renderProcessMap(sourceOf(ctx), process, { mode: 'page', idPrefix: ctx.ids.unique('map', 'process', process.name) }, (step) => {
    const qualified = `${process.name}.${step.name}`;
    return `${whereAttrs('step', qualified, step.where)}${stepFilterAttrs(ctx, process, step)}`;
  });
  return figure(
    'process',
    svg,
    legend([
      ['flow', 'next step'],
      ['handoff', 'hand-off between owners'],
      ['cross-function', 'hand-off between functions'],
      ['back', 'loop back'],
    ]),
  );
}

export function strategyMapFigure(ctx: Context): string {
  if (ctx.model.objectives.length === 0) return '';
  if (ctx.model.objectives.length > MAP_LIMITS.objectives) return tooMany('strategy', ctx.model.objectives.length, MAP_LIMITS.objectives, 'strategy');
  const svg = renderStrategyMap(sourceOf(ctx), { mode: 'page', idPrefix: ctx.ids.unique('map', 'map', 'strategy') }, (objective) => `${whereAttrs('objective', objective.name, objective.where)}${objectiveFilterAttrs(ctx, objective)}`);
  return figure(
    'strategy',
    svg,
    legend([
      ['drives', 'drives'],
      ['depends', 'a KPI depends on a KPI of the other objective'],
    ]),
  );
}

/** The Hand-offs view: which functions depend on which, and what crosses between them. */
export function handOffsView(ctx: Context): string {
  const lead =
    '<p class="lead">Which functions depend on which: an arrow from the function that supplies to the one that receives, for every step hand-off and every KPI <code>depends</code> between them, with the worst status on it. Amber or red means a joint review.</p>';
  // The count is kept between renders (Context.functionCount): a large workspace's view says it is too many without scanning every card again.
  const functions = ctx.functionCount();
  if (functions === 0) return `${lead}<p class="empty">No function in this view. Put roles <code>in</code> a <code>function</code> to see the hand-offs between functions.</p>`;
  if (functions > MAP_LIMITS.functions) return `${lead}${tooMany('hand-off', functions, MAP_LIMITS.functions, 'handoffs')}`;
  const source = sourceOf(ctx);
  const whereOf = new Map(ctx.model.functions.map((fn) => [fn.name, fn.where]));
  const svg = renderHandOffMap(source, { mode: 'page', idPrefix: ctx.ids.unique('map', 'map', 'handoffs') }, (fn) => {
    const kpis = ctx.model.kpis.filter((kpi) => kpi.owner?.function?.name === fn);
    const where = whereOf.get(fn);
    const filters = filterAttrs({ function: [fn], status: [worstStatus(kpis.map((kpi) => kpi.status)), ...kpis.map((kpi) => kpi.status)], search: [fn, source.functionTitle(fn), ...kpis.map((kpi) => kpi.title)] });
    return `${where ? whereAttrs('function', fn, where) : ` data-kind="function" data-name="${esc(fn)}"`}${filters}`;
  });
  return `${lead}${figure('handoffs', svg, legend([['handoff', 'carries a step hand-off'], ['depends-only', 'carries KPI dependencies only']]))}`;
}
