// KPI: New KPI… as pure logic: the questions of the KPI Clarity Canvas
// (outcome, owner, control levers, frequency, visibility, motivation, plus
// the step that creates the result, the target and the purpose), the choices
// each offers, and the complete KPI the answers make, laid out as the
// formatter lays it out. The VS Code command (client/src/newKpi.ts) only
// shows these questions and writes the text. Nothing here parses: the client
// bundles it.
import { cadencePeriodContaining, lastCompletePeriod, type Cadence, type Day } from '../model/periods';
import { CADENCE_WORDS } from '../syntax/grammar';
import { blockText, nameFromTitle, stringLiteral, uniqueName, type BlockLine } from '../syntax/blockText';

export type TargetComparator = '>=' | '<=';

export interface NewKpiAnswers {
  /** What the KPI is called ("Lead log time"); its name is made of these words. */
  title: string;
  /** 1. Outcome: the result, worded as an outcome. */
  outcome: string;
  /** 2. Owner: one declared role. */
  owner: string;
  /** The step that creates the result, as `Process.Step`; none when the workspace has no process yet. */
  step?: string;
  /** 3. Control levers: what the owner controls, one item each. */
  levers: readonly string[];
  /** The target: `>=` when higher is better, `<=` when lower is. */
  comparator: TargetComparator;
  target: number;
  /** 4. Frequency. */
  frequency: Cadence;
  /** 5. Visibility: where it is shown. */
  visibility: string;
  /** 6. Motivation: what makes people care. */
  motivation: string;
  /** The purpose: the objective it serves, or why it matters in words (where no objective exists yet), or both. */
  supports?: string;
  why?: string;
  /** The latest measured value, for the last complete period of the frequency; none to write no actual. */
  latest?: number;
}

/** The choices a question offers, from the workspace the KPI goes into. */
export interface NewKpiChoices {
  roles: readonly string[];
  objectives: readonly string[];
  /** Every step as `Process.Step`, owned by `owner` when known. */
  steps: readonly { name: string; owner?: string }[];
}

/** The frequencies in the order the question offers them, the usual one first. */
export const FREQUENCY_CHOICES: readonly Cadence[] = ['monthly', ...CADENCE_WORDS.filter((c) => c !== 'monthly')];

/**
 * The steps to offer once the owner is chosen: the owner's own steps first
 * (a KPI owned by whoever performs its step has no `owner-lacks-control`).
 */
export function stepChoices(choices: NewKpiChoices, owner: string): string[] {
  const own = choices.steps.filter((s) => s.owner === owner).map((s) => s.name);
  return [...own, ...choices.steps.filter((s) => s.owner !== owner).map((s) => s.name)];
}

/** The levers as typed in one box: separated by commas or semicolons. */
export function splitLevers(text: string): string[] {
  return text
    .split(/[,;]/)
    .map((lever) => lever.trim())
    .filter(Boolean);
}

/** Why a target typed in a box is not a number, or undefined when it is one. */
export function validateNumber(text: string): string | undefined {
  return /^\s*-?\d+(?:\.\d+)?\s*$/.test(text) ? undefined : 'Write a number, such as 95 or 2.5.';
}

/**
 * The complete KPI declaration the answers make, named after its title (a
 * name `taken` does not hold), laid out as the formatter lays it out.
 */
export function newKpiText(answers: NewKpiAnswers, taken: (name: string) => boolean, today: Day): string {
  const name = uniqueName(nameFromTitle(answers.title, 'NewKpi'), taken);
  const lines: BlockLine[] = [
    ['outcome', stringLiteral(answers.outcome)],
    ['owner', answers.owner],
  ];
  if (answers.step) lines.push(['step', answers.step]);
  if (answers.supports) lines.push(['supports', answers.supports]);
  if (answers.why?.trim()) lines.push(['why', stringLiteral(answers.why)]);
  if (answers.levers.length > 0) lines.push(['levers', answers.levers.map(stringLiteral).join(', ')]);
  lines.push(
    ['target', `${answers.comparator} ${answers.target}`],
    ['frequency', answers.frequency],
    ['visibility', stringLiteral(answers.visibility)],
    ['motivation', stringLiteral(answers.motivation)],
  );
  if (answers.latest !== undefined) {
    const period = cadencePeriodContaining(answers.frequency, lastCompletePeriod(answers.frequency, today).start).text;
    lines.push(['actual', `${period} ${answers.latest}`]);
  }
  return blockText(`kpi ${name} ${stringLiteral(answers.title.trim() || name)}`, lines);
}

/**
 * The edit that appends `declaration` to a file's `text`: it replaces the
 * line breaks at the end, so the declaration follows one blank line and the
 * file ends with one line break (the formatter's separation), in the file's
 * own line ends.
 */
export function appendEdit(text: string, declaration: string): { start: number; end: number; newText: string } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const body = declaration.replace(/\n/g, eol);
  const end = text.length;
  if (text.trim() === '') return { start: 0, end, newText: `${body}${eol}` };
  const start = text.replace(/\s*$/, '').length;
  return { start, end, newText: `${eol}${eol}${body}${eol}` };
}
