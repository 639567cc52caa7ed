// What changed between two scorecard models, as data that crosses a wire: the
// language server sends the preview panel a delta instead of the whole model
// after an edit (on a large workspace the model is megabytes of JSON, and an
// edit changes a card or two).
//
// It relies on what the builder (build.ts) guarantees: a card that did not
// change is the same object in both models. So a list is compared by
// identity, each unchanged card travels as its index in the base model, and
// `applyDelta` puts the base's own objects back in those places: the model on
// the other side keeps the identity of its unchanged cards too, which is what
// the page's memo (render/page/) relies on.
import type { AgendaOwner } from './agenda';
import type { ScorecardModel } from './model';

/** The card lists a delta compares one by one; `agendaOwners` is `agenda.owners`. */
export const DELTA_LISTS = ['kpis', 'objectives', 'processes', 'sops', 'owners', 'scorecards', 'functions', 'jointReviews', 'agendaOwners'] as const;
export type DeltaList = (typeof DELTA_LISTS)[number];

type ListItem<L extends DeltaList> = L extends 'agendaOwners' ? AgendaOwner : ScorecardModel[Exclude<L, 'agendaOwners'>][number];

/** A list in a delta: each entry is a card written out, or the index of the same card in the base model's list. */
export type DeltaEntries<L extends DeltaList> = (ListItem<L> | number)[];

/** The model's fields that are not card lists, sent whole: they are small. */
export type ModelRest = Omit<ScorecardModel, Exclude<DeltaList, 'agendaOwners'> | 'agenda'> & { agenda?: Omit<NonNullable<ScorecardModel['agenda']>, 'owners'> };

export interface ScorecardDelta {
  rest: ModelRest;
  /** Only the lists that changed; a list left out is the base's, as it was. */
  lists: { [L in DeltaList]?: DeltaEntries<L> };
}

function listOf<L extends DeltaList>(model: ScorecardModel, list: L): readonly ListItem<L>[] {
  const items: readonly unknown[] = list === 'agendaOwners' ? (model.agenda?.owners ?? []) : model[list as Exclude<DeltaList, 'agendaOwners'>];
  return items as readonly ListItem<L>[];
}

function restOf(model: ScorecardModel): ModelRest {
  const { kpis: _k, objectives: _o, processes: _p, sops: _s, owners: _w, scorecards: _c, functions: _f, jointReviews: _j, agenda, ...rest } = model;
  if (!agenda) return rest;
  const { owners: _a, ...agendaRest } = agenda;
  return { ...rest, agenda: agendaRest };
}

/** The delta that turns `base` into `next`. */
export function diffModels(base: ScorecardModel, next: ScorecardModel): ScorecardDelta {
  const lists: ScorecardDelta['lists'] = {};
  for (const list of DELTA_LISTS) {
    const before = listOf(base, list);
    const after = listOf(next, list);
    if (before.length === after.length && before.every((item, index) => item === after[index])) continue;
    const indexOf = new Map<unknown, number>(before.map((item, index) => [item, index]));
    (lists as Record<DeltaList, unknown[]>)[list] = after.map((item) => indexOf.get(item) ?? item);
  }
  return { rest: restOf(next), lists };
}

/** Whether a delta changes nothing of `base` (no list, and the same other fields). */
export function isEmptyDelta(base: ScorecardModel, delta: ScorecardDelta): boolean {
  return Object.keys(delta.lists).length === 0 && JSON.stringify(restOf(base)) === JSON.stringify(delta.rest);
}

/**
 * The model `delta` describes, made from `base`: unchanged cards are the
 * base's own objects. Throws when the delta does not fit the base (an index
 * out of range), so the caller can ask for the whole model instead.
 */
export function applyDelta(base: ScorecardModel, delta: ScorecardDelta): ScorecardModel {
  const rebuilt = {} as Record<DeltaList, unknown[]>;
  for (const list of DELTA_LISTS) {
    const before = listOf(base, list);
    const entries = delta.lists[list] as unknown[] | undefined;
    rebuilt[list] = entries
      ? entries.map((entry) => {
          if (typeof entry !== 'number') return entry;
          if (!Number.isInteger(entry) || entry < 0 || entry >= before.length) throw new RangeError(`the scorecard delta names card ${entry} of ${list}, which the base model does not have`);
          return before[entry];
        })
      : [...before];
  }
  const { agenda, ...rest } = delta.rest;
  const model: ScorecardModel = {
    ...rest,
    kpis: rebuilt.kpis as ScorecardModel['kpis'],
    objectives: rebuilt.objectives as ScorecardModel['objectives'],
    processes: rebuilt.processes as ScorecardModel['processes'],
    sops: rebuilt.sops as ScorecardModel['sops'],
    owners: rebuilt.owners as ScorecardModel['owners'],
    scorecards: rebuilt.scorecards as ScorecardModel['scorecards'],
    functions: rebuilt.functions as ScorecardModel['functions'],
    jointReviews: rebuilt.jointReviews as ScorecardModel['jointReviews'],
  };
  if (agenda) model.agenda = { ...agenda, owners: rebuilt.agendaOwners as AgendaOwner[] };
  return model;
}
