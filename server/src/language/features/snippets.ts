// The snippets of new declarations. Accepted with their defaults they leave
// no error behind: a reference is a choice among the names the workspace
// declares (`${4|BranchManager,SalesLead|}`), and where there is none to
// choose, the snippet either creates it (a kpi's owner becomes a new role
// declared after the kpi) or leaves the line out (a kpi's step, an
// objective's key result: their absence is a warning, not an error). Default
// names are ones the workspace does not use yet. The text is laid out as the
// formatter lays it out (blockText.ts).
import type { DeclarationKind, Perspective } from '../model/ast';
import { ymdFromDay } from '../model/periods';
import { CADENCE_WORDS, PERSPECTIVE_WORDS } from '../syntax/grammar';
import type { Workspace } from '../workspace/workspace';
import { blockText, uniqueName, type BlockLine } from '../syntax/blockText';

/** The names a snippet may offer, each the declaration its name resolves to. */
export interface SnippetNames {
  roles: readonly string[];
  functions: readonly string[];
  /** Every step as `Process.Step`. */
  steps: readonly string[];
  kpis: readonly { name: string; perspective?: Perspective }[];
  /** Whether a top-level name is declared already. */
  taken: (name: string) => boolean;
  /** The workspace's current year, for an objective's default due date. */
  year: number;
}

/** At most this many names in one choice: a longer list is no help in a snippet's drop-down. */
const MAX_CHOICES = 25;

export function snippetNames(workspace: Workspace): SnippetNames {
  const roles: string[] = [];
  const functions: string[] = [];
  const steps: string[] = [];
  const kpis: { name: string; perspective?: Perspective }[] = [];
  for (const doc of workspace.documents) {
    for (const decl of doc.model.declarations) {
      // Only the declaration a name resolves to: a later duplicate is not a second choice.
      if (workspace.declarations(decl.name.text)[0]?.decl !== decl) continue;
      const name = decl.name.text;
      if (decl.kind === 'role') roles.push(name);
      else if (decl.kind === 'function') functions.push(name);
      else if (decl.kind === 'kpi') kpis.push({ name, ...(decl.perspective ? { perspective: decl.perspective.value } : {}) });
      else if (decl.kind === 'process') {
        const seen = new Set<string>();
        for (const step of decl.steps) if (!seen.has(step.name.text)) seen.add(step.name.text), steps.push(`${name}.${step.name.text}`);
      }
    }
  }
  return { roles, functions, steps, kpis, taken: (name) => workspace.declarations(name).length > 0, year: ymdFromDay(workspace.today()).year };
}

/** `${n|a,b|}`: names are identifiers, so nothing in them needs escaping. */
function choice(index: number, names: readonly string[]): string {
  return `\${${index}|${names.slice(0, MAX_CHOICES).join(',')}|}`;
}

/** A tab stop with a default; the default is plain words, escaped for a snippet. */
function stop(index: number, text: string): string {
  return `\${${index}:${text.replace(/[$}\\]/g, '\\$&')}}`;
}

/**
 * The owner reference of a snippet at tab stop `index`: a choice among the
 * declared roles, or a new role's name, mirrored into the role the snippet
 * appends (`extra`) at tab stop `titleIndex` for its title.
 */
function ownerOf(names: SnippetNames, index: number, titleIndex: number): { value: string; extra: string } {
  if (names.roles.length > 0) return { value: choice(index, names.roles), extra: '' };
  const role = uniqueName('Owner', names.taken);
  return { value: stop(index, role), extra: `\n\nrole \${${index}} "${stop(titleIndex, 'Owner')}"` };
}

/** The snippet of a new `kind` declaration, for the workspace whose names are `names`. */
export function declarationSnippet(kind: DeclarationKind, names: SnippetNames): string {
  const name = (base: string) => stop(1, uniqueName(base, names.taken));
  switch (kind) {
    case 'function':
      return `function ${name('NewFunction')} "${stop(2, 'Title')}"`;
    case 'role':
    case 'team': {
      const placed = names.functions.length > 0 ? ` in ${choice(3, names.functions)}` : '';
      return `${kind} ${name(kind === 'role' ? 'NewRole' : 'NewTeam')} "${stop(2, 'Title')}"${placed}`;
    }
    case 'objective': {
      const owner = ownerOf(names, 3, 7);
      const lines: BlockLine[] = [
        ['owner', owner.value],
        ['perspective', choice(4, PERSPECTIVE_WORDS)],
        ['due', stop(5, `${names.year}-12-31`)],
      ];
      if (names.kpis.length > 0) lines.push(['key result', choice(6, names.kpis.map((k) => k.name))]);
      return blockText(`objective ${name('NewObjective')} "${stop(2, 'Title')}"`, lines) + owner.extra;
    }
    case 'process': {
      const owner = ownerOf(names, 3, 6);
      const stepOwner = names.roles.length > 0 ? choice(5, names.roles) : '${3}';
      return blockText(`process ${name('NewProcess')} "${stop(2, 'Title')}"`, [['owner', owner.value], { nested: `step ${stop(4, 'First')} "First step" { owner ${stepOwner} }` }]) + owner.extra;
    }
    case 'kpi': {
      // The six questions of the KPI Clarity Canvas: outcome, owner, levers, frequency, visibility, motivation.
      const owner = ownerOf(names, 4, 11);
      const lines: BlockLine[] = [
        ['outcome', `"${stop(3, 'The result, worded as an outcome')}"`],
        ['owner', owner.value],
      ];
      if (names.steps.length > 0) lines.push(['step', choice(5, names.steps)]);
      lines.push(
        ['levers', `"${stop(6, 'What the owner controls')}"`],
        ['target', `>= ${stop(7, '0')}`],
        ['frequency', choice(8, ['monthly', ...CADENCE_WORDS.filter((c) => c !== 'monthly')])],
        ['visibility', `"${stop(9, 'Where it is shown')}"`],
        ['motivation', `"${stop(10, 'What makes people care')}"`],
      );
      return blockText(`kpi ${name('NewKpi')} "${stop(2, 'Title')}"`, lines) + owner.extra;
    }
    case 'sop': {
      const owner = ownerOf(names, 4, 9);
      return (
        blockText(`sop ${name('NewSop')} "${stop(2, 'Title')}"`, [
          ['objective', `"${stop(3, 'What it achieves')}"`],
          ['owner', owner.value],
          ['trigger', `"${stop(5, 'What starts it')}"`],
          { nested: `steps {\n  "${stop(6, 'First step')}"\n}` },
          ['review', `every ${stop(7, '3')} ${choice(8, ['months', 'weeks', 'quarters'])}`],
        ]) + owner.extra
      );
    }
    case 'scorecard': {
      // Each perspective offers the KPIs that declare it or declare none; a perspective with none is left out.
      const lines: BlockLine[] = [];
      let index = 3;
      for (const perspective of PERSPECTIVE_WORDS) {
        const kpis = names.kpis.filter((k) => !k.perspective || k.perspective === perspective).map((k) => k.name);
        if (kpis.length > 0) lines.push([perspective, choice(index++, kpis)]);
      }
      return blockText(`scorecard ${name('NewScorecard')} "${stop(2, 'Title')}"`, lines);
    }
  }
}

/**
 * The snippet of a property whose grammar-table snippet names a placeholder
 * reference: a process `step` owned by one of the declared roles, an
 * objective's `key result` among the declared KPIs. Undefined keeps the
 * table's snippet (nothing declared to choose from).
 */
export function propertySnippet(block: string, keyword: string, names: SnippetNames): string | undefined {
  if (block === 'process' && keyword === 'step' && names.roles.length > 0) return `step \${1:Name} "\${2:Title}" { owner ${choice(3, names.roles)} }`;
  if (block === 'objective' && keyword === 'key' && names.kpis.length > 0) return `key result ${choice(1, names.kpis.map((k) => k.name))}`;
  return undefined;
}
