// Every Span of a chunk's results, found by the model's declared shape: the
// header of each declaration, then each property of its block by the value
// kind its row in the grammar table (../syntax/grammar.ts) gives. The
// re-parse (reparse.ts) moves these spans when an edit shifts a chunk.
//
// A new value kind must say here where its spans are; a new property of an
// existing kind needs nothing. test/incremental.test.ts compares this walk
// with a reflective one over every fixture and example.
import { BLOCKS, DECLARATIONS, type BlockKind, type ValueKind } from '../syntax/grammar';
import type { Actual, ChunkResult, Comparison, Declaration, Ref, Span, Str } from './ast';

/** Every span of a chunk's problems, comments, directives and declaration, each once. */
export function chunkSpans(chunk: ChunkResult): Span[] {
  const found = new Set<Span>();
  const add = (span: Span | undefined) => {
    if (span) found.add(span);
  };
  for (const problem of chunk.problems) add(problem.span);
  for (const comment of chunk.comments) add(comment);
  for (const directive of chunk.directives) add(directive);
  if (chunk.declaration) declarationSpans(chunk.declaration, add);
  return [...found];
}

type Add = (span: Span | undefined) => void;
type Fields = Record<string, unknown>;

function declarationSpans(decl: Declaration, add: Add): void {
  add(decl.span);
  add(decl.keyword);
  add(decl.name.span);
  add(decl.title?.span);
  if ((decl.kind === 'role' || decl.kind === 'team') && decl.in) refSpans(decl.in, add);
  const spec = DECLARATIONS[decl.kind];
  if (!spec.block) return;
  const fields = decl as unknown as Fields;
  blockSpans(spec.block, spec.container ? (fields[spec.container] as Fields) : fields, add);
}

/** The spans of the properties of `block` held in `fields`. */
function blockSpans(block: BlockKind, fields: Fields, add: Add): void {
  for (const spec of BLOCKS[block]) {
    const value = fields[spec.field];
    if (value === undefined) continue;
    if (spec.repeatable) for (const item of value as unknown[]) valueSpans(spec.value, item as Fields, spec.block, add);
    else valueSpans(spec.value, value as Fields, spec.block, add);
  }
}

function refSpans(ref: Ref, add: Add): void {
  add(ref.span);
  add(ref.member?.span);
}

/** The spans of one property value, by its value kind (grammar.ts says what each kind builds). */
function valueSpans(kind: ValueKind, value: Fields, block: BlockKind | undefined, add: Add): void {
  // Every kind but a band and an actual keeps its keyword's span.
  add(value['keyword'] as Span | undefined);
  switch (kind) {
    case 'refs':
      for (const ref of value['refs'] as Ref[]) refSpans(ref, add);
      return;
    case 'ref':
    case 'keyResult':
      refSpans(value['ref'] as Ref, add);
      return;
    case 'string':
    case 'unit':
      add((value['value'] as Str).span);
      return;
    case 'strings':
    case 'checklist':
      for (const item of value['values'] as Str[]) add(item.span);
      return;
    case 'word':
    case 'review':
    case 'date':
    case 'band':
      add(value['span'] as Span);
      return;
    case 'target':
      add((value['comparison'] as Comparison | undefined)?.span);
      add((value['text'] as Str | undefined)?.span);
      return;
    case 'actual': {
      // The period's own `start` and `end` are days, not offsets.
      const actual = value as unknown as Actual;
      add(actual.span);
      add(actual.periodSpan);
      return;
    }
    case 'exception':
      add((value['when'] as Str).span);
      add((value['then'] as Str).span);
      return;
    case 'thresholds':
      blockSpans(block!, value, add);
      return;
    case 'step':
      add(value['span'] as Span);
      add((value['name'] as { span: Span }).span);
      add((value['title'] as Str | undefined)?.span);
      blockSpans(block!, value, add);
      return;
  }
}
