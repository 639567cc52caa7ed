// The strategy map as SVG: the four Balanced Scorecard bands read bottom up
// (and a band for objectives without a perspective), objectives with their
// status (LANGUAGE.md 4.1) and KPIs, an arrow per `drives`, and a dashed
// arrow with an open head where a KPI of one objective depends on a KPI of
// another.
import { BAND_LABELS, layoutStrategy } from '../../maps';
import type { ObjectiveCard } from '../../model';
import { objectiveShownLines, strategyInput, type MapSource } from './inputs';
import { memoLayout } from './memo';
import { edgeGroup, fmt, labelText, markerRef, nodeGroup, svgDocument, type MapRenderOptions } from './svg';

export type ObjectiveAttributes = (objective: ObjectiveCard) => string;

export function renderStrategyMap(source: MapSource, options: MapRenderOptions, objectiveAttributes: ObjectiveAttributes = () => ''): string {
  const input = strategyInput(source);
  const layout = memoLayout('strategy', input, input, layoutStrategy);
  const title = (name: string) => source.objectives.get(name)?.title ?? name;
  const kpiTitle = (name: string) => source.kpis.get(name)?.title ?? name;
  const out: string[] = [];
  for (const band of layout.bands) {
    const label = BAND_LABELS[band.perspective ?? 'none'];
    out.push(
      `<g class="map-band-wrap"><rect class="map-band" x="${fmt(band.box.x)}" y="${fmt(band.box.y)}" width="${fmt(band.box.width)}" height="${fmt(band.box.height)}"/>` +
        `${labelText(band.labelBox, label, 'map-band-label', 'middle', true)}</g>`,
    );
  }
  for (const edge of layout.edges) {
    const description =
      edge.kind === 'drives' ? `${title(edge.from)} drives ${title(edge.to)}` : `KPI dependencies: ${edge.via.map((crossing) => `${kpiTitle(crossing.to)} depends on ${kpiTitle(crossing.from)}`).join('; ')}`;
    out.push(
      edgeGroup({
        from: title(edge.from),
        to: title(edge.to),
        handOff: false,
        classes: [edge.kind],
        points: edge.points,
        marker: markerRef(options.idPrefix, edge.kind === 'drives' ? 'arrow' : 'open'),
        description,
      }),
    );
  }
  for (const node of layout.nodes) {
    const objective = source.objectives.get(node.name);
    if (!objective) continue;
    out.push(
      nodeGroup({
        title: objective.title,
        classes: ['objective', `st-${objective.status}`],
        attributes: options.mode === 'page' ? objectiveAttributes(objective) : '',
        page: options.mode === 'page',
        box: node.box,
        lines: objectiveShownLines(source, objective),
      }),
    );
  }
  const drives = layout.edges.filter((edge) => edge.kind === 'drives').length;
  const label = `Strategy map: ${layout.nodes.length} ${layout.nodes.length === 1 ? 'objective' : 'objectives'} in ${layout.bands.length} bands, ${drives} drives ${drives === 1 ? 'link' : 'links'}`;
  return svgDocument('strategy', label, layout.width, layout.height, out.join(''), options);
}
