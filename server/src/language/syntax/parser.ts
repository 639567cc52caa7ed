// The grammar of LANGUAGE.md section 3, as one Chevrotain parser instance with
// error recovery on. The parser produces a concrete syntax tree (CST); the
// model builder (../model/build.ts) turns it into plain data.
//
// A file is parsed one top-level declaration at a time (see chunks.ts): each
// declaration is a self-contained block, so a broken declaration never damages
// its neighbours, and an edit inside one declaration only needs that
// declaration re-parsed.
import { CstParser, EOF, type CstNode, type IOrAlt, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import {
  allTokens,
  Arrow,
  COMPARATORS,
  Comma,
  DateLiteral,
  Dot,
  Identifier,
  Kw,
  LBrace,
  MonthLiteral,
  NumberLiteral,
  QuarterLiteral,
  RBrace,
  StringLiteral,
  Unknown,
  WeekLiteral,
  type KeywordWord,
} from './tokens';

type Rule = (idx?: number) => CstNode;

class KpiParser extends CstParser {
  // Shared value shapes.
  readonly ref: Rule;
  readonly refList: Rule;
  readonly stringList: Rule;
  readonly comparison: Rule;

  // Properties: one rule each, labelled `kw` for the keyword so the model
  // builder can treat them alike.
  readonly p_owner: Rule;
  readonly p_kpiStep: Rule;
  readonly p_perspective: Rule;
  readonly p_supports: Rule;
  readonly p_why: Rule;
  readonly p_outcome: Rule;
  readonly p_levers: Rule;
  readonly p_unit: Rule;
  readonly p_target: Rule;
  readonly p_thresholds: Rule;
  readonly p_band: Rule;
  readonly p_frequency: Rule;
  readonly p_checkpoint: Rule;
  readonly p_indicator: Rule;
  readonly p_visibility: Rule;
  readonly p_motivation: Rule;
  readonly p_depends: Rule;
  readonly p_actual: Rule;
  readonly p_data: Rule;
  readonly p_objective: Rule;
  readonly p_trigger: Rule;
  readonly p_roles: Rule;
  readonly p_checklist: Rule;
  readonly p_exception: Rule;
  readonly p_tools: Rule;
  readonly p_review: Rule;
  readonly p_reviewed: Rule;
  readonly p_due: Rule;
  readonly p_keyResult: Rule;
  readonly p_processStep: Rule;
  readonly p_stepSop: Rule;
  readonly p_next: Rule;
  readonly p_scorecardLine: Rule;

  // Declarations.
  readonly functionDecl: Rule;
  readonly roleDecl: Rule;
  readonly teamDecl: Rule;
  readonly objectiveDecl: Rule;
  readonly processDecl: Rule;
  readonly kpiDecl: Rule;
  readonly sopDecl: Rule;
  readonly scorecardDecl: Rule;
  readonly declaration: Rule;

  constructor() {
    super(allTokens, {
      recoveryEnabled: true,
      errorMessageProvider: messages,
      nodeLocationTracking: 'onlyOffset',
      maxLookahead: 2,
      // Grammar validation costs start-up time and can only fail on a change to this file: the
      // tests and development builds run it, the packaged build (NODE_ENV=production) skips it.
      skipValidations: process.env['NODE_ENV'] === 'production',
    });

    this.ref = this.RULE('ref', () => {
      this.CONSUME(Identifier, { LABEL: 'head' });
      this.OPTION(() => {
        this.CONSUME(Dot);
        this.CONSUME2(Identifier, { LABEL: 'member' });
      });
    });
    this.refList = this.RULE('refList', () => {
      this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.ref) });
    });
    this.stringList = this.RULE('stringList', () => {
      this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.CONSUME(StringLiteral, { LABEL: 'items' }) });
    });
    this.comparison = this.RULE('comparison', () => {
      this.OR(COMPARATORS.map((tok) => ({ ALT: () => this.CONSUME(tok, { LABEL: 'op' }) })));
      this.CONSUME(NumberLiteral, { LABEL: 'value' });
    });

    const kw = (word: KeywordWord) => this.CONSUME(Kw[word], { LABEL: 'kw' });
    const refsAfter = (word: KeywordWord) => () => {
      kw(word);
      this.SUBRULE(this.refList);
    };
    const stringAfter = (word: KeywordWord) => () => {
      kw(word);
      this.CONSUME(StringLiteral, { LABEL: 'value' });
    };
    const wordAfter = (word: KeywordWord) => () => {
      kw(word);
      this.CONSUME(Identifier, { LABEL: 'value' });
    };
    const stringsAfter = (word: KeywordWord) => () => {
      kw(word);
      this.SUBRULE(this.stringList);
    };

    this.p_owner = this.RULE('p_owner', refsAfter('owner'));
    this.p_kpiStep = this.RULE('p_kpiStep', refsAfter('step'));
    this.p_perspective = this.RULE('p_perspective', wordAfter('perspective'));
    this.p_supports = this.RULE('p_supports', refsAfter('supports'));
    this.p_why = this.RULE('p_why', stringAfter('why'));
    this.p_outcome = this.RULE('p_outcome', stringAfter('outcome'));
    this.p_levers = this.RULE('p_levers', stringsAfter('levers'));
    this.p_unit = this.RULE('p_unit', () => {
      kw('unit');
      this.OR([
        { ALT: () => this.CONSUME(StringLiteral, { LABEL: 'value' }) },
        { ALT: () => this.CONSUME(Identifier, { LABEL: 'value' }) },
      ]);
    });
    this.p_target = this.RULE('p_target', () => {
      kw('target');
      this.OR([
        { ALT: () => this.SUBRULE(this.comparison) },
        { ALT: () => this.CONSUME(StringLiteral, { LABEL: 'value' }) },
      ]);
    });
    this.p_band = this.RULE('p_band', () => {
      this.OR([
        { ALT: () => this.CONSUME(Kw.green, { LABEL: 'kw' }) },
        { ALT: () => this.CONSUME(Kw.amber, { LABEL: 'kw' }) },
      ]);
      this.SUBRULE(this.comparison);
    });
    this.p_thresholds = this.RULE('p_thresholds', () => {
      kw('thresholds');
      this.CONSUME(LBrace);
      this.MANY(() => this.SUBRULE(this.p_band));
      this.CONSUME(RBrace);
    });
    this.p_frequency = this.RULE('p_frequency', wordAfter('frequency'));
    this.p_checkpoint = this.RULE('p_checkpoint', wordAfter('checkpoint'));
    this.p_indicator = this.RULE('p_indicator', wordAfter('indicator'));
    this.p_visibility = this.RULE('p_visibility', stringAfter('visibility'));
    this.p_motivation = this.RULE('p_motivation', stringAfter('motivation'));
    this.p_depends = this.RULE('p_depends', refsAfter('depends'));
    this.p_actual = this.RULE('p_actual', () => {
      kw('actual');
      this.OR([
        { ALT: () => this.CONSUME(DateLiteral, { LABEL: 'period' }) },
        { ALT: () => this.CONSUME(WeekLiteral, { LABEL: 'period' }) },
        { ALT: () => this.CONSUME(MonthLiteral, { LABEL: 'period' }) },
        { ALT: () => this.CONSUME(QuarterLiteral, { LABEL: 'period' }) },
        { ALT: () => this.CONSUME(NumberLiteral, { LABEL: 'period' }) },
      ]);
      this.CONSUME2(NumberLiteral, { LABEL: 'value' });
    });
    this.p_data = this.RULE('p_data', stringAfter('data'));
    this.p_objective = this.RULE('p_objective', stringAfter('objective'));
    this.p_trigger = this.RULE('p_trigger', stringAfter('trigger'));
    this.p_roles = this.RULE('p_roles', refsAfter('roles'));
    this.p_checklist = this.RULE('p_checklist', () => {
      kw('steps');
      this.CONSUME(LBrace);
      this.MANY(() => this.CONSUME(StringLiteral, { LABEL: 'items' }));
      this.CONSUME(RBrace);
    });
    this.p_exception = this.RULE('p_exception', () => {
      kw('exception');
      this.CONSUME(StringLiteral, { LABEL: 'when' });
      this.CONSUME(Arrow);
      this.CONSUME2(StringLiteral, { LABEL: 'then' });
    });
    this.p_tools = this.RULE('p_tools', stringsAfter('tools'));
    this.p_review = this.RULE('p_review', () => {
      kw('review');
      this.CONSUME(Kw.every);
      this.CONSUME(NumberLiteral, { LABEL: 'count' });
      this.CONSUME(Identifier, { LABEL: 'unit' });
    });
    this.p_reviewed = this.RULE('p_reviewed', () => {
      kw('reviewed');
      this.CONSUME(DateLiteral, { LABEL: 'value' });
    });
    this.p_due = this.RULE('p_due', () => {
      kw('due');
      this.CONSUME(DateLiteral, { LABEL: 'value' });
    });
    this.p_keyResult = this.RULE('p_keyResult', () => {
      kw('key');
      this.CONSUME(Kw.result);
      this.SUBRULE(this.ref);
    });
    this.p_stepSop = this.RULE('p_stepSop', () => {
      kw('sop');
      this.SUBRULE(this.ref);
    });
    this.p_next = this.RULE('p_next', refsAfter('next'));
    let stepAlternatives: IOrAlt<unknown>[] | undefined;
    this.p_processStep = this.RULE('p_processStep', () => {
      kw('step');
      this.CONSUME(Identifier, { LABEL: 'name' });
      this.OPTION(() => this.CONSUME(StringLiteral, { LABEL: 'title' }));
      this.OPTION2(() => this.block((stepAlternatives ??= this.alternatives([this.p_owner, this.p_stepSop, this.p_next]))));
    });
    this.p_scorecardLine = this.RULE('p_scorecardLine', () => {
      this.OR(
        (['financial', 'customer', 'internal', 'learning'] as const).map((word) => ({
          ALT: () => this.CONSUME(Kw[word], { LABEL: 'kw' }),
        })),
      );
      this.SUBRULE(this.refList);
    });

    const header = (word: KeywordWord) => {
      this.CONSUME(Kw[word], { LABEL: 'kw' });
      this.CONSUME(Identifier, { LABEL: 'name' });
      this.OPTION(() => this.CONSUME(StringLiteral, { LABEL: 'title' }));
    };
    const placed = (word: KeywordWord) => () => {
      header(word);
      this.OPTION2(() => {
        this.CONSUME(Kw.in, { LABEL: 'inKw' });
        this.SUBRULE(this.ref);
      });
    };
    const withBlock = (word: KeywordWord, props: () => Rule[]) => {
      // The alternatives are built once, not on every call (Chevrotain's performance guide).
      let alternatives: IOrAlt<unknown>[] | undefined;
      return () => {
        header(word);
        this.block((alternatives ??= this.alternatives(props())));
      };
    };

    this.functionDecl = this.RULE('functionDecl', () => header('function'));
    this.roleDecl = this.RULE('roleDecl', placed('role'));
    this.teamDecl = this.RULE('teamDecl', placed('team'));
    this.objectiveDecl = this.RULE(
      'objectiveDecl',
      withBlock('objective', () => [this.p_owner, this.p_perspective, this.p_due, this.p_keyResult]),
    );
    this.processDecl = this.RULE('processDecl', withBlock('process', () => [this.p_owner, this.p_processStep]));
    this.kpiDecl = this.RULE(
      'kpiDecl',
      withBlock('kpi', () => [
        this.p_outcome, this.p_owner, this.p_kpiStep, this.p_perspective, this.p_supports, this.p_why,
        this.p_levers, this.p_unit, this.p_target, this.p_thresholds, this.p_frequency, this.p_checkpoint,
        this.p_indicator, this.p_visibility, this.p_motivation, this.p_depends, this.p_actual, this.p_data,
      ]),
    );
    this.sopDecl = this.RULE(
      'sopDecl',
      withBlock('sop', () => [
        this.p_objective, this.p_owner, this.p_trigger, this.p_roles, this.p_checklist, this.p_exception,
        this.p_tools, this.p_review, this.p_reviewed,
      ]),
    );
    this.scorecardDecl = this.RULE('scorecardDecl', withBlock('scorecard', () => [this.p_scorecardLine]));

    this.declaration = this.RULE('declaration', () => {
      this.OR([
        { ALT: () => this.SUBRULE(this.functionDecl) },
        { ALT: () => this.SUBRULE(this.roleDecl) },
        { ALT: () => this.SUBRULE(this.teamDecl) },
        { ALT: () => this.SUBRULE(this.objectiveDecl) },
        { ALT: () => this.SUBRULE(this.processDecl) },
        { ALT: () => this.SUBRULE(this.kpiDecl) },
        { ALT: () => this.SUBRULE(this.sopDecl) },
        { ALT: () => this.SUBRULE(this.scorecardDecl) },
      ]);
    });

    this.performSelfAnalysis();
  }

  private alternatives(props: Rule[]): IOrAlt<unknown>[] {
    return props.map((rule, i) => ({ ALT: () => this.subrule(i, rule) }));
  }

  /** `{ property* }` where each property is one of the alternatives, in any order. */
  private block(alternatives: IOrAlt<unknown>[]): void {
    this.CONSUME(LBrace, { LABEL: 'open' });
    this.MANY(() => this.OR(alternatives));
    this.CONSUME(RBrace, { LABEL: 'close' });
  }
}

/** Human names for token types in messages. */
const TOKEN_NAMES: Record<string, string> = {
  Identifier: 'a name',
  StringLiteral: 'a string',
  NumberLiteral: 'a number',
  DateLiteral: 'a date (YYYY-MM-DD)',
  WeekLiteral: 'a week (YYYY-Www)',
  MonthLiteral: 'a month (YYYY-MM)',
  QuarterLiteral: 'a quarter (YYYY-Qn)',
  LBrace: "'{'",
  RBrace: "'}'",
  Comma: "','",
  Dot: "'.'",
  Arrow: "'->'",
  GreaterEq: "'>='",
  LessEq: "'<='",
  Greater: "'>'",
  Less: "'<'",
  Equals: "'='",
};

export function describeTokenType(type: TokenType): string {
  if (type.name.startsWith('Kw_')) return `'${type.name.slice(3)}'`;
  return TOKEN_NAMES[type.name] ?? type.name;
}

export function describeToken(token: IToken): string {
  if (token.tokenType === EOF || Number.isNaN(token.startOffset)) return 'the end of the declaration';
  if (token.tokenType === StringLiteral) return 'a string';
  if (token.tokenType === NumberLiteral) return `the number ${token.image}`;
  const image = token.image.length > 30 ? `${token.image.slice(0, 30)}…` : token.image;
  return `'${image}'`;
}

function oneOf(names: string[]): string {
  const unique = [...new Set(names)];
  if (unique.length <= 1) return unique[0] ?? 'something else';
  return `one of ${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
}

/** What a block rule is called in messages, and the properties it accepts. */
const BLOCKS: Record<string, { what: string; properties: string[] }> = {
  kpiDecl: {
    what: 'kpi',
    properties: ['outcome', 'owner', 'step', 'perspective', 'supports', 'why', 'levers', 'unit', 'target', 'thresholds', 'frequency', 'checkpoint', 'indicator', 'visibility', 'motivation', 'depends', 'actual', 'data'],
  },
  sopDecl: { what: 'sop', properties: ['objective', 'owner', 'trigger', 'roles', 'steps', 'exception', 'tools', 'review', 'reviewed'] },
  processDecl: { what: 'process', properties: ['owner', 'step'] },
  p_processStep: { what: 'step', properties: ['owner', 'sop', 'next'] },
  objectiveDecl: { what: 'objective', properties: ['owner', 'perspective', 'due', 'key result'] },
  scorecardDecl: { what: 'scorecard', properties: ['financial', 'customer', 'internal', 'learning'] },
  p_thresholds: { what: 'thresholds', properties: ['green', 'amber'] },
  p_checklist: { what: 'steps', properties: ['a string'] },
};

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A letter outside A–Z in the middle of a name deserves its own explanation. */
function foreignLetter(token: IToken): string | undefined {
  return token.tokenType === Unknown && /\p{L}/u.test(token.image)
    ? `'${token.image}' cannot be part of a name: names use the letters A–Z and a–z, digits and _.`
    : undefined;
}

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    const block = BLOCKS[ruleName];
    if (expected === RBrace && block) {
      if (actual.tokenType === EOF) return `This ${block.what} block is not closed; add '}'.`;
      const shown = block.properties.slice(0, 6).map((p) => (p.startsWith('a ') ? p : `'${p}'`));
      const more = block.properties.length > shown.length ? ', …' : '';
      return foreignLetter(actual) ?? sentence(`${describeToken(actual)} is not allowed in ${article(block.what)} block; expected ${shown.join(', ')}${more} or '}'.`);
    }
    return foreignLetter(actual) ?? `Expected ${describeTokenType(expected)} but found ${describeToken(actual)}.`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return foreignLetter(firstRedundant) ?? `Unexpected ${describeToken(firstRedundant)} after the end of the declaration; delete it or start a new declaration.`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual }) {
    const firsts = expectedPathsPerAlt.flatMap((alt) => alt.map((path) => (path[0] ? describeTokenType(path[0]) : '')));
    return foreignLetter(actual[0]!) ?? `Expected ${oneOf(firsts.filter(Boolean))} but found ${describeToken(actual[0]!)}.`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual }) {
    const firsts = expectedIterationPaths.map((path) => (path[0] ? describeTokenType(path[0]) : ''));
    return foreignLetter(actual[0]!) ?? `Expected ${oneOf(firsts.filter(Boolean))} but found ${describeToken(actual[0]!)}.`;
  },
};

/** The one parser instance; reused by setting `input` (Chevrotain's performance guide). */
const parser = new KpiParser();

export interface ParseError {
  message: string;
  token: IToken;
}

export interface DeclarationParse {
  cst: CstNode | undefined;
  errors: ParseError[];
}

/** Parses one declaration from `tokens` (one chunk, see chunks.ts). Never throws. */
export function parseDeclaration(tokens: IToken[]): DeclarationParse {
  parser.input = tokens;
  let cst: CstNode | undefined;
  try {
    cst = parser.declaration();
  } catch {
    // Chevrotain does not throw with recovery on; stay total if it ever does.
    cst = undefined;
  }
  return { cst, errors: parser.errors.map((e) => ({ message: e.message, token: e.token })) };
}
