// The grammar of LANGUAGE.md section 3, as one Chevrotain parser instance with
// error recovery on. The parser produces a concrete syntax tree (CST); the
// model builder (../model/build.ts) turns it into plain data.
//
// A file is parsed one top-level declaration at a time (see chunks.ts): each
// declaration is a self-contained block, so a broken declaration never damages
// its neighbours, and an edit inside one declaration only needs that
// declaration re-parsed.
import { CstParser, EOF, type CstNode, type IOrAlt, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import { BLOCKS, DECLARATIONS, DECLARATION_KINDS, propertyRules, type BlockKind, type DeclarationSpec, type PropertySpec } from './grammar';
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
} from './tokens';

type Rule = (idx?: number) => CstNode;

/**
 * The rules are made from the grammar table (grammar.ts): one rule per
 * property (`p_…`, the keyword labelled `kw` so the model builder treats them
 * alike), its shape chosen by the property's value kind, and one rule per
 * declaration (`kpiDecl`, …) whose block accepts the properties of its row.
 */
class KpiParser extends CstParser {
  // Shared value shapes.
  readonly ref: Rule;
  readonly refList: Rule;
  readonly stringList: Rule;
  readonly comparison: Rule;
  readonly declaration: Rule;

  /** The rules made from the table, by name (`p_owner`, `kpiDecl`). */
  private readonly tableRules = new Map<string, Rule>();
  /** The alternatives of each block, built once, not on every call (Chevrotain's performance guide). */
  private readonly blockAlternatives = new Map<BlockKind, IOrAlt<unknown>[]>();
  private readonly blockProperties = new Map<BlockKind, () => void>();

  constructor() {
    super(allTokens, {
      recoveryEnabled: true,
      errorMessageProvider: messages,
      // No node locations: the model and the formatter read offsets from tokens
      // (propertyNodes below), and tracking them cost an object and an update
      // per syntax node, on every declaration of a folder being loaded.
      nodeLocationTracking: 'none',
      maxLookahead: 2,
      // Grammar validation costs start-up time and can only fail on a change to this file: the
      // tests and development builds run it, the packaged build (NODE_ENV=production) skips it.
      skipValidations: process.env['NODE_ENV'] === 'production',
    });

    const member = () => {
      this.CONSUME(Dot);
      this.CONSUME2(Identifier, MEMBER);
    };
    this.ref = this.RULE('ref', () => {
      this.CONSUME(Identifier, HEAD);
      this.OPTION(member);
    });
    const refItems = { SEP: Comma, DEF: () => this.SUBRULE(this.ref) };
    this.refList = this.RULE('refList', () => {
      this.AT_LEAST_ONE_SEP(refItems);
    });
    const stringItems = { SEP: Comma, DEF: () => this.CONSUME(StringLiteral, ITEMS) };
    this.stringList = this.RULE('stringList', () => {
      this.AT_LEAST_ONE_SEP(stringItems);
    });
    const comparators = COMPARATORS.map((tok) => ({ ALT: () => this.CONSUME(tok, OP) }));
    this.comparison = this.RULE('comparison', () => {
      this.OR(comparators);
      this.CONSUME(NumberLiteral, VALUE);
    });

    for (const spec of propertyRules()) this.define(spec.rule, this.propertyBody(spec));
    const declarationRules = DECLARATION_KINDS.map((kind) => this.define(DECLARATIONS[kind].rule, this.declarationBody(DECLARATIONS[kind])));

    const declarations = declarationRules.map((rule) => ({ ALT: () => this.SUBRULE(rule) }));
    this.declaration = this.RULE('declaration', () => {
      this.OR(declarations);
    });

    this.performSelfAnalysis();
  }

  /** Records a rule; Chevrotain's self-analysis finds rules as fields of the parser, by name. */
  private define(name: string, body: () => void): Rule {
    const rule = this.RULE(name, body);
    (this as unknown as Record<string, Rule>)[name] = rule;
    this.tableRules.set(name, rule);
    return rule;
  }

  /**
   * The body of a property rule, by its value kind. What a body hands to
   * Chevrotain (labels, alternatives, the functions of OPTION and MANY) is
   * made here, once per rule, not on every call: a folder's first load parses
   * tens of thousands of properties.
   */
  private propertyBody(spec: PropertySpec): () => void {
    const keyword = Kw[spec.keyword]!;
    const kw = () => this.CONSUME(keyword, KW);
    switch (spec.value) {
      case 'refs':
        return () => {
          kw();
          this.SUBRULE(this.refList);
        };
      case 'ref':
        return () => {
          kw();
          this.SUBRULE(this.ref);
        };
      case 'keyResult': {
        const result = Kw['result']!;
        return () => {
          kw();
          this.CONSUME(result);
          this.SUBRULE(this.ref);
        };
      }
      case 'string':
        return () => {
          kw();
          this.CONSUME(StringLiteral, VALUE);
        };
      case 'unit': {
        const alternatives = [{ ALT: () => this.CONSUME(StringLiteral, VALUE) }, { ALT: () => this.CONSUME(Identifier, VALUE) }];
        return () => {
          kw();
          this.OR(alternatives);
        };
      }
      case 'strings':
        return () => {
          kw();
          this.SUBRULE(this.stringList);
        };
      case 'checklist': {
        const item = () => this.CONSUME(StringLiteral, ITEMS);
        return () => {
          kw();
          this.CONSUME(LBrace);
          this.MANY(item);
          this.CONSUME(RBrace);
        };
      }
      case 'word':
        return () => {
          kw();
          this.CONSUME(Identifier, VALUE);
        };
      case 'target': {
        const alternatives = [{ ALT: () => this.SUBRULE(this.comparison) }, { ALT: () => this.CONSUME(StringLiteral, VALUE) }];
        return () => {
          kw();
          this.OR(alternatives);
        };
      }
      case 'band':
        return () => {
          kw();
          this.SUBRULE(this.comparison);
        };
      case 'thresholds': {
        const band = () => this.OR(this.alternatives(spec.block!));
        return () => {
          kw();
          this.CONSUME(LBrace);
          this.MANY(band);
          this.CONSUME(RBrace);
        };
      }
      case 'actual': {
        const periods = [DateLiteral, WeekLiteral, MonthLiteral, QuarterLiteral, NumberLiteral].map((type) => ({ ALT: () => this.CONSUME(type, PERIOD) }));
        return () => {
          kw();
          this.OR(periods);
          this.CONSUME2(NumberLiteral, VALUE);
        };
      }
      case 'review': {
        const every = Kw['every']!;
        return () => {
          kw();
          this.CONSUME(every);
          this.CONSUME(NumberLiteral, COUNT);
          this.CONSUME(Identifier, UNIT);
        };
      }
      case 'date':
        return () => {
          kw();
          this.CONSUME(DateLiteral, VALUE);
        };
      case 'exception':
        return () => {
          kw();
          this.CONSUME(StringLiteral, WHEN);
          this.CONSUME(Arrow);
          this.CONSUME2(StringLiteral, THEN);
        };
      case 'step': {
        const title = () => this.CONSUME(StringLiteral, TITLE);
        const block = () => this.block(spec.block!);
        return () => {
          kw();
          this.CONSUME(Identifier, NAME);
          this.OPTION(title);
          this.OPTION2(block);
        };
      }
    }
  }

  /** `kind Name "Title"?`, then `in Function` or a block of properties. */
  private declarationBody(spec: DeclarationSpec): () => void {
    const keyword = Kw[spec.kind]!;
    const inKeyword = Kw['in']!;
    const title = () => this.CONSUME(StringLiteral, TITLE);
    const placement = () => {
      this.CONSUME(inKeyword, IN_KW);
      this.SUBRULE(this.ref);
    };
    return () => {
      this.CONSUME(keyword, KW);
      this.CONSUME(Identifier, NAME);
      this.OPTION(title);
      if (spec.placed) this.OPTION2(placement);
      if (spec.block) this.block(spec.block);
    };
  }

  private alternatives(block: BlockKind): IOrAlt<unknown>[] {
    let alternatives = this.blockAlternatives.get(block);
    if (!alternatives) {
      alternatives = BLOCKS[block].map((p, i) => {
        const rule = this.tableRules.get(p.rule)!;
        return { ALT: () => this.subrule(i, rule) };
      });
      this.blockAlternatives.set(block, alternatives);
    }
    return alternatives;
  }

  /** `{ property* }` where each property is one of the block's, in any order. */
  private block(block: BlockKind): void {
    this.CONSUME(LBrace, OPEN);
    this.MANY(this.blockProperty(block));
    this.CONSUME(RBrace, CLOSE);
  }

  /** One property of a block (MANY's function), made once per block kind. */
  private blockProperty(block: BlockKind): () => void {
    let property = this.blockProperties.get(block);
    if (!property) this.blockProperties.set(block, (property = () => this.OR(this.alternatives(block))));
    return property;
  }
}

/** The labels the model builder and the formatter read tokens by, one options object each for every CONSUME. */
const KW = { LABEL: 'kw' };
const NAME = { LABEL: 'name' };
const TITLE = { LABEL: 'title' };
const IN_KW = { LABEL: 'inKw' };
const HEAD = { LABEL: 'head' };
const MEMBER = { LABEL: 'member' };
const ITEMS = { LABEL: 'items' };
const OP = { LABEL: 'op' };
const VALUE = { LABEL: 'value' };
const PERIOD = { LABEL: 'period' };
const COUNT = { LABEL: 'count' };
const UNIT = { LABEL: 'unit' };
const WHEN = { LABEL: 'when' };
const THEN = { LABEL: 'then' };
const OPEN = { LABEL: 'open' };
const CLOSE = { LABEL: 'close' };

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

/** What a block rule is called in messages, and the properties it accepts (from the grammar table). */
const BLOCK_MESSAGES: Record<string, { what: string; properties: string[] }> = Object.fromEntries([
  ...DECLARATION_KINDS.flatMap((kind) => {
    const spec = DECLARATIONS[kind];
    return spec.block ? [[spec.rule, { what: kind, properties: BLOCKS[spec.block].map((p) => p.label) }]] : [];
  }),
  ...Object.values(BLOCKS)
    .flat()
    .filter((p) => p.block)
    .map((p) => [p.rule, { what: p.label, properties: p.block === 'checklist' ? ['a string'] : BLOCKS[p.block!].map((q) => q.label) }]),
]);

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
    const block = BLOCK_MESSAGES[ruleName];
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

/**
 * The property nodes (`p_…` rules) of a block, in text order. Chevrotain
 * groups a node's children by rule, so properties of different kinds come
 * back grouped; they are put back in text order by their keyword, which
 * starts every property (the alternative is chosen by it). Most blocks give
 * each kind once, already in order, and need no sort.
 */
export function propertyNodes(node: CstNode): CstNode[] {
  const props: CstNode[] = [];
  let sorted = true;
  let last = -Infinity;
  for (const key in node.children) {
    if (!key.startsWith('p_')) continue;
    for (const child of node.children[key]!) {
      if ('image' in child) continue;
      const at = keywordOffset(child);
      if (at < last) sorted = false;
      last = at;
      props.push(child);
    }
  }
  if (!sorted) props.sort((a, b) => keywordOffset(a) - keywordOffset(b));
  return props;
}

function keywordOffset(prop: CstNode): number {
  const offset = (prop.children['kw']?.[0] as IToken | undefined)?.startOffset;
  return offset === undefined || Number.isNaN(offset) ? 0 : offset;
}

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
