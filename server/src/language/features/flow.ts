// How work and cause flow from one element to the next, as the editor's call
// hierarchy shows it (Show Call Hierarchy, Shift+Alt+H in VS Code): a step's
// outgoing "calls" are its `next` steps, a KPI's are the KPIs it `depends` on
// and the objectives it `supports`, an objective's are the objectives it
// `drives`; incoming ones are the elements that name it so. Each item says
// who owns it, and an outgoing step or KPI owned by someone else says it is a
// hand-off (across functions when the functions differ), so a reader can
// walk a process or a chain of dependencies and see where work changes hands.
import type { Declaration, KpiDecl, ObjectiveDecl, ProcessDecl, Ref, RefsProp, Span, Step } from '../model/ast';
import { statusWord } from '../scorecard/render/text';
import { findStep, forEachRef, type RefSite } from '../workspace/symbols';
import type { DeclEntry, SourceDocument, Workspace } from '../workspace/workspace';
import { resolveReference, symbolOf, targetAt, type Sym } from './locate';

/** Where a flow item is, and how to find it again when the editor asks for its calls. */
export interface FlowItem {
  kind: 'step' | 'kpi' | 'objective';
  /** The step's, KPI's or objective's title as written, or its name. */
  name: string;
  /** What it is and who owns it; for a call, whether it is a hand-off. */
  detail: string;
  key: string;
  /** The whole step or declaration. */
  span: Span;
  /** Its name. */
  selection: Span;
  /** `{ name }`, or `{ name: process, step }` for a step: what `resolveFlowItem` reads back. */
  data: FlowItemData;
}

export interface FlowItemData {
  name: string;
  step?: string;
}

/** A call of the hierarchy: the other item, and where in the calling item's file the reference is written. */
export interface FlowCall {
  item: FlowItem;
  /** Offsets in the file of the item that names the other one. */
  ranges: Span[];
}

type FlowSym = { kind: 'decl'; entry: DeclEntry<KpiDecl> | DeclEntry<ObjectiveDecl> } | { kind: 'step'; process: DeclEntry<ProcessDecl>; step: Step };

/** The sites a flow follows: each is an outgoing call of the element holding it. */
const FLOW_SITES: ReadonlySet<RefSite> = new Set<RefSite>(['next', 'depends', 'supports', 'drives']);

function asFlow(sym: Sym | undefined): FlowSym | undefined {
  if (!sym) return undefined;
  if (sym.kind === 'step') return sym;
  const kind = sym.entry.decl.kind;
  return kind === 'kpi' || kind === 'objective' ? (sym as FlowSym) : undefined;
}

/** The flow item at `offset` (a step's, KPI's or objective's name, or a reference to one), if any. */
export function flowItemAt(workspace: Workspace, doc: SourceDocument, offset: number): FlowItem | undefined {
  const target = targetAt(doc, offset);
  const sym = asFlow(target ? symbolOf(workspace, target) : undefined);
  return sym ? itemOf(workspace, sym) : undefined;
}

/** Finds an item's element again in `key`'s current text, by name; undefined when it is gone. */
export function resolveFlowItem(workspace: Workspace, key: string, data: FlowItemData): FlowSym | undefined {
  // A name may be declared twice (a role and a KPI both called Analyst): the first of a kind that flows.
  for (const entry of workspace.declarations(data.name)) {
    if (entry.doc.key !== key) continue;
    if (data.step === undefined) {
      const sym = asFlow({ kind: 'decl', entry });
      if (sym) return sym;
    } else if (entry.decl.kind === 'process') {
      const step = findStep(entry.decl, data.step);
      if (step) return { kind: 'step', process: entry as DeclEntry<ProcessDecl>, step };
    }
  }
  return undefined;
}

/** What `sym` names along a flow: its `next`, `depends`, `supports` or `drives` references, one call per element named. */
export function outgoingFlow(workspace: Workspace, sym: FlowSym): FlowCall[] {
  const holder: DeclEntry = sym.kind === 'step' ? sym.process : sym.entry;
  const calls: { sym: FlowSym; ranges: Span[] }[] = [];
  forEachRef(holder.decl, ({ ref, site, step }) => {
    if (!FLOW_SITES.has(site) || (sym.kind === 'step' ? step !== sym.step : step !== undefined)) return;
    const callee = asFlow(resolveReference(workspace, ref, site, 'head', holder));
    if (callee) addCall(calls, callee, ref.span);
  });
  return calls.map((c) => ({ item: itemOf(workspace, c.sym, sym), ranges: c.ranges }));
}

/** What names `sym` along a flow: the steps whose `next` is it, the KPIs that depend on it or support it, the objectives that drive it. */
export function incomingFlow(workspace: Workspace, sym: FlowSym): FlowCall[] {
  const holders = sym.kind === 'step' ? [sym.process] : workspace.referrersOf(sym.entry.decl.name.text);
  const calls: { sym: FlowSym; ranges: Span[] }[] = [];
  const seen = new Set<Declaration>();
  for (const holder of holders) {
    if (seen.has(holder.decl)) continue;
    seen.add(holder.decl);
    forEachRef(holder.decl, ({ ref, site, step }) => {
      if (!FLOW_SITES.has(site) || !sameFlow(asFlow(resolveReference(workspace, ref, site, 'head', holder)), sym)) return;
      const caller = callerOf(holder, step);
      if (caller) addCall(calls, caller, ref.span);
    });
  }
  return calls.map((c) => ({ item: itemOf(workspace, c.sym), ranges: c.ranges }));
}

function callerOf(holder: DeclEntry, step: Step | undefined): FlowSym | undefined {
  if (step) return holder.decl.kind === 'process' ? { kind: 'step', process: holder as DeclEntry<ProcessDecl>, step } : undefined;
  return asFlow({ kind: 'decl', entry: holder });
}

function sameFlow(a: FlowSym | undefined, b: FlowSym): boolean {
  if (!a || a.kind !== b.kind) return false;
  return a.kind === 'step' ? a.step === (b as { step: Step }).step : a.entry.decl === (b as { entry: DeclEntry }).entry.decl;
}

/** Adds `range` to the call of `sym`, or a new call: one call per element, all its references as ranges. */
function addCall(calls: { sym: FlowSym; ranges: Span[] }[], sym: FlowSym, range: Span): void {
  const call = calls.find((c) => sameFlow(c.sym, sym));
  if (call) call.ranges.push(range);
  else calls.push({ sym, ranges: [range] });
}

interface Owner {
  /** `Support agent (Customer support)`: the owner's title and its function's. */
  label: string;
  names: string;
  fn?: string;
}

/** The owners named by `prop` (roles or teams), each with its function. */
function ownerOf(workspace: Workspace, prop: RefsProp | undefined): Owner | undefined {
  if (!prop || prop.refs.length === 0) return undefined;
  const parts = prop.refs.map((ref) => describeOwner(workspace, ref));
  const functions = [...new Set(parts.flatMap((p) => (p.fn ? [p.fn] : [])))];
  return { label: parts.map((p) => p.label).join(', '), names: prop.refs.map((r) => r.name).join(','), ...(functions.length > 0 ? { fn: functions.join(',') } : {}) };
}

function describeOwner(workspace: Workspace, ref: Ref): { label: string; fn?: string } {
  const role = workspace.declarations(ref.name)[0]?.decl;
  if (role?.kind !== 'role' && role?.kind !== 'team') return { label: ref.name };
  const title = role.title?.value ?? role.name.text;
  const fn = role.in ? workspace.declarations(role.in.name)[0]?.decl : undefined;
  if (fn?.kind !== 'function') return { label: title };
  return { label: `${title} (${fn.title?.value ?? fn.name.text})`, fn: fn.name.text };
}

function ownerProp(sym: FlowSym): RefsProp | undefined {
  return sym.kind === 'step' ? sym.step.owner : sym.entry.decl.owner;
}

/** `hand-off`, `cross-function hand-off`, or nothing: how work reaches `to` from `from`. */
function handOff(workspace: Workspace, from: FlowSym, to: FlowSym): string | undefined {
  if (from.kind === 'decl' && from.entry.decl.kind === 'objective') return undefined;
  if (to.kind === 'decl' && to.entry.decl.kind === 'objective') return undefined;
  const a = ownerOf(workspace, ownerProp(from));
  const b = ownerOf(workspace, ownerProp(to));
  if (!a || !b || a.names === b.names) return undefined;
  return a.fn && b.fn && a.fn !== b.fn ? 'cross-function hand-off' : 'hand-off';
}

/**
 * The item of `sym`; with `from`, as an outgoing call of `from`. Its detail
 * leads with what a narrow tree should not cut off: whether the call is a
 * hand-off, then for a step its owner (the process is the same along a walk),
 * for a KPI its status, for an objective its perspective.
 */
function itemOf(workspace: Workspace, sym: FlowSym, from?: FlowSym): FlowItem {
  const crossing = from ? handOff(workspace, from, sym) : undefined;
  const owner = ownerOf(workspace, ownerProp(sym))?.label;
  const parts: (string | undefined)[] = [crossing];
  let item: Omit<FlowItem, 'detail'>;
  if (sym.kind === 'step') {
    const { process, step } = sym;
    parts.push(owner, `step of ${process.decl.title?.value ?? process.decl.name.text}`);
    item = { kind: 'step', name: step.title?.value ?? step.name.text, key: process.doc.key, span: step.span, selection: step.name.span, data: { name: process.decl.name.text, step: step.name.text } };
  } else {
    const { entry } = sym;
    const decl = entry.decl;
    if (decl.kind === 'kpi') parts.push(`KPI · ${statusWord(workspace.status(entry as DeclEntry<KpiDecl>).status)}`, owner);
    else parts.push(decl.perspective ? `objective · ${decl.perspective.value}` : 'objective', owner);
    item = { kind: decl.kind, name: decl.title?.value ?? decl.name.text, key: entry.doc.key, span: decl.span, selection: decl.name.span, data: { name: decl.name.text } };
  }
  return { ...item, detail: parts.filter((p) => p !== undefined).join(' · ') };
}
