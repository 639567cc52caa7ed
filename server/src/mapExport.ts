// `kpi scorecard --format svg --map process:Name|strategy|handoffs`: one map
// as an .svg file. The CLI turns a problem sentence into a usage error (exit 2).
import { parseMapSelector, renderMapSvg, type ScorecardModel } from './language/service';

export const MAP_CHOICES = 'process:Name, strategy or handoffs';

/** The map's SVG, or the sentence that says why there is none. */
export function mapSvg(model: ScorecardModel, map: string | undefined): { svg: string } | { problem: string } {
  if (map === undefined) return { problem: '--format svg draws one map: add --map process:Name, --map strategy or --map handoffs' };
  const selector = parseMapSelector(map);
  if (!selector) return { problem: `--map must be ${MAP_CHOICES}, not "${map}"` };
  const result = renderMapSvg(model, selector);
  return 'svg' in result ? result : { problem: `--map ${map}: ${result.error}` };
}
