// The three maps as SVG, drawn from the scorecard model: one process map per
// process, the strategy map, the hand-off map. `renderMapSvg` writes one map
// as a file on its own (`kpi scorecard --format svg --map …`); the page draws
// them with its own attributes (render/page/mapsView.ts).
import type { ScorecardModel } from '../../model';
import { renderHandOffMap } from './handoffMap';
import { MapSource } from './inputs';
import { renderProcessMap } from './processMap';
import { renderStrategyMap } from './strategyMap';

export { MapSource, worstStatus } from './inputs';
export { renderProcessMap } from './processMap';
export { renderStrategyMap } from './strategyMap';
export { renderHandOffMap } from './handoffMap';
export type { MapRenderOptions } from './svg';

/** Which map: a process's by name, the strategy map or the hand-off map. */
export type MapSelector = { kind: 'process'; process: string } | { kind: 'strategy' } | { kind: 'handoffs' };

/** `process:Name`, `strategy` or `handoffs`; undefined for anything else. */
export function parseMapSelector(text: string): MapSelector | undefined {
  if (text === 'strategy') return { kind: 'strategy' };
  if (text === 'handoffs' || text === 'hand-offs') return { kind: 'handoffs' };
  const match = /^process:(.+)$/.exec(text);
  return match ? { kind: 'process', process: match[1]! } : undefined;
}

/** The selectors a model offers, for a message that lists them. */
export function mapSelectors(model: ScorecardModel): string[] {
  return [...model.processes.map((process) => `process:${process.name}`), 'strategy', 'handoffs'];
}

/** One map as a standalone SVG file, or an error sentence when the model has no such map. */
export function renderMapSvg(model: ScorecardModel, selector: MapSelector): { svg: string } | { error: string } {
  const source = new MapSource(model);
  const options = { mode: 'standalone', idPrefix: 'kpi-map' } as const;
  switch (selector.kind) {
    case 'strategy':
      return { svg: `${renderStrategyMap(source, options)}\n` };
    case 'handoffs':
      return { svg: `${renderHandOffMap(source, options)}\n` };
    case 'process': {
      const process = model.processes.find((p) => p.name === selector.process);
      if (!process) {
        const known = model.processes.map((p) => p.name);
        return { error: `no process named "${selector.process}"${known.length ? `; the processes are ${known.join(', ')}` : '; there is no process'}` };
      }
      return { svg: `${renderProcessMap(source, process, options)}\n` };
    }
  }
}
