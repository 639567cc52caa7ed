// The editor features over LSP: each handler finds the document, calls one
// function of the core's features/ and converts offsets to positions. No
// language knowledge lives here.
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  CompletionItemKind,
  DocumentHighlightKind,
  FoldingRangeKind,
  InlayHintKind,
  InsertTextFormat,
  LSPErrorCodes,
  MarkupKind,
  ResponseError,
  SymbolKind,
  type CallHierarchyItem,
  type SelectionRange,
  type CancellationToken,
  type CodeAction,
  type CompletionItem,
  type Connection,
  type DocumentSymbol,
  type Range,
  type SemanticTokens,
  type SemanticTokensDelta,
  type ServerCapabilities,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import {
  codeLenses,
  complete,
  definition,
  documentLinks,
  documentOutline,
  fixAll,
  fixesFor,
  flowItemAt,
  foldingRanges,
  formatDocument,
  formatRange,
  highlights,
  hover,
  incomingFlow,
  inlayHints,
  outgoingFlow,
  prepareRename,
  references,
  rename,
  resolveFlowItem,
  selectionRanges,
  SEMANTIC_TOKEN_MODIFIERS,
  SEMANTIC_TOKEN_TYPES,
  SemanticTokenCache,
  workspaceSymbols,
  type CompletionKind,
  type Fix,
  type FlowItem,
  type FlowItemData,
  type InlayOptions,
  type OutlineItem,
  type OutlineKind,
  type SourceDocument,
  type Span,
  type Workspace,
} from './language/service';
import { ResolveFileRequest, ScorecardRequest, ScorecardUpdateRequest, ServerInfoRequest, type ScorecardParams } from './protocol';
import { ScorecardUpdates } from './scorecardUpdates';

export interface ServerState {
  /** The workspace a document belongs to: its innermost open folder's, or its own when it is in none. */
  workspaceOf(uri: string): Workspace | undefined;
  /** The workspace document behind a URI (open or on disk), in its own workspace. */
  document(uri: string): SourceDocument | undefined;
  /** The URI of a document of `workspace`. */
  uriOf(workspace: Workspace, key: string): string;
  /** Every open folder's workspace in the editor's order, then those of documents outside every folder. */
  workspaces(): readonly Workspace[];
  /** The workspace of the open folder with this URI. */
  folderWorkspace(folderUri: string): Workspace | undefined;
  /** The scorecard's workspace when nothing says which: the first open folder's (an empty one without a folder). */
  defaultWorkspace(): Workspace | undefined;
  /** False in limited mode (an untrusted workspace). */
  readsDataFiles(): boolean;
  inlayOptions(): InlayOptions;
  /** Whether the client is our VS Code extension (which provides the `kpi.*` commands). */
  clientIsVsCode(): boolean;
  /** The server's process id, for `kpi/serverInfo`. */
  processId: number;
}

export const FEATURE_CAPABILITIES: ServerCapabilities = {
  completionProvider: { triggerCharacters: ['.', ','] },
  hoverProvider: true,
  definitionProvider: true,
  referencesProvider: true,
  documentHighlightProvider: true,
  callHierarchyProvider: true,
  selectionRangeProvider: true,
  renameProvider: { prepareProvider: true },
  documentSymbolProvider: { label: 'KPI' },
  workspaceSymbolProvider: true,
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll] },
  codeLensProvider: { resolveProvider: false },
  inlayHintProvider: true,
  documentLinkProvider: { resolveProvider: false },
  foldingRangeProvider: true,
  semanticTokensProvider: {
    legend: { tokenTypes: [...SEMANTIC_TOKEN_TYPES], tokenModifiers: [...SEMANTIC_TOKEN_MODIFIERS] },
    full: { delta: true },
    range: true,
  },
  documentFormattingProvider: true,
  documentRangeFormattingProvider: true,
};

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  function: CompletionItemKind.Module,
  role: CompletionItemKind.Class,
  team: CompletionItemKind.Struct,
  objective: CompletionItemKind.Enum,
  process: CompletionItemKind.Module,
  kpi: CompletionItemKind.Variable,
  sop: CompletionItemKind.Interface,
  scorecard: CompletionItemKind.Folder,
  step: CompletionItemKind.Method,
  keyword: CompletionItemKind.Keyword,
  value: CompletionItemKind.EnumMember,
  snippet: CompletionItemKind.Snippet,
  code: CompletionItemKind.Value,
  operator: CompletionItemKind.Operator,
};

const SYMBOL_KIND: Record<OutlineKind, SymbolKind> = {
  function: SymbolKind.Namespace,
  role: SymbolKind.Class,
  team: SymbolKind.Struct,
  objective: SymbolKind.Enum,
  process: SymbolKind.Module,
  kpi: SymbolKind.Variable,
  sop: SymbolKind.Interface,
  scorecard: SymbolKind.Package,
  step: SymbolKind.Method,
  perspective: SymbolKind.Field,
};

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');
}

function range(doc: SourceDocument, span: Span): Range {
  return { start: doc.lines.positionAt(span.start), end: doc.lines.positionAt(span.end) };
}

export function registerFeatureHandlers(connection: Connection, state: ServerState): void {
  /**
   * Runs a request against the document of `uri`; unknown documents answer
   * `fallback`. A request the editor cancelled while it waited in the queue
   * (typing moves on quickly) is answered RequestCancelled without the work.
   */
  const withDoc = <T>(uri: string, fallback: T, token: CancellationToken, work: (ws: Workspace, doc: SourceDocument) => T): T => {
    if (token.isCancellationRequested) throw cancelled();
    const ws = state.workspaceOf(uri);
    const doc = ws ? state.document(uri) : undefined;
    if (!ws || !doc) return fallback;
    try {
      return work(ws, doc);
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      connection.console.error(`kpi-language-server: request failed: ${(error as Error).stack ?? String(error)}`);
      return fallback;
    }
  };
  const locationOf = (ws: Workspace, key: string, span: Span) => {
    const doc = ws.getDocument(key)!;
    return { uri: state.uriOf(ws, key), range: range(doc, span) };
  };

  connection.onCompletion(({ textDocument, position }, token) =>
    withDoc(textDocument.uri, null, token, (ws, doc) => {
      const result = complete(ws, doc, doc.lines.offsetAt(position));
      const replace = range(doc, result.range);
      return result.items.map((item): CompletionItem => ({
        label: item.label,
        kind: COMPLETION_KIND[item.kind],
        ...(item.detail ? { detail: item.detail } : {}),
        ...(item.documentation ? { documentation: { kind: MarkupKind.Markdown, value: item.documentation } } : {}),
        ...(item.filterText ? { filterText: item.filterText } : {}),
        ...(item.sortText ? { sortText: item.sortText } : {}),
        textEdit: { range: replace, newText: item.insertText ?? item.label },
        insertTextFormat: item.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      }));
    }),
  );

  connection.onHover(({ textDocument, position }, token) =>
    withDoc(textDocument.uri, null, token, (ws, doc) => {
      const result = hover(ws, doc, doc.lines.offsetAt(position));
      return result ? { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: range(doc, result.span) } : null;
    }),
  );

  connection.onDefinition(({ textDocument, position }, token) =>
    withDoc(textDocument.uri, null, token, (ws, doc) => {
      const target = definition(ws, doc, doc.lines.offsetAt(position));
      return target ? locationOf(ws, target.key, target.span) : null;
    }),
  );

  connection.onReferences(({ textDocument, position, context }, token) =>
    withDoc(textDocument.uri, [], token, (ws, doc) =>
      references(ws, doc, doc.lines.offsetAt(position), context.includeDeclaration).map((l) => locationOf(ws, l.key, l.span)),
    ),
  );

  connection.onDocumentHighlight(({ textDocument, position }, token) =>
    withDoc(textDocument.uri, [], token, (ws, doc) =>
      highlights(ws, doc, doc.lines.offsetAt(position)).map((h) => ({
        range: range(doc, h.span),
        kind: h.write ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
      })),
    ),
  );

  // The call hierarchy follows flows (features/flow.ts): next steps, depends, supports, drives.
  const flowItem = (ws: Workspace, item: FlowItem): CallHierarchyItem => ({
    name: item.name,
    kind: SYMBOL_KIND[item.kind],
    detail: item.detail,
    ...locationOf(ws, item.key, item.span),
    selectionRange: range(ws.getDocument(item.key)!, item.selection),
    data: { key: item.key, ...item.data },
  });
  /** The element behind an item the editor hands back, looked up again by name in its document's current text. */
  const flowOf = (ws: Workspace, item: CallHierarchyItem) => {
    const data = item.data as Partial<FlowItemData & { key: string }> | undefined;
    return typeof data?.key === 'string' && typeof data.name === 'string' ? resolveFlowItem(ws, data.key, { name: data.name, ...(typeof data.step === 'string' ? { step: data.step } : {}) }) : undefined;
  };
  connection.languages.callHierarchy.onPrepare(({ textDocument, position }, token) =>
    withDoc(textDocument.uri, null, token, (ws, doc) => {
      const item = flowItemAt(ws, doc, doc.lines.offsetAt(position));
      return item ? [flowItem(ws, item)] : null;
    }),
  );
  connection.languages.callHierarchy.onIncomingCalls(({ item }, token) =>
    withDoc(item.uri, null, token, (ws) => {
      const sym = flowOf(ws, item);
      return sym ? incomingFlow(ws, sym).map((call) => ({ from: flowItem(ws, call.item), fromRanges: call.ranges.map((r) => range(ws.getDocument(call.item.key)!, r)) })) : null;
    }),
  );
  connection.languages.callHierarchy.onOutgoingCalls(({ item }, token) =>
    withDoc(item.uri, null, token, (ws, doc) => {
      const sym = flowOf(ws, item);
      return sym ? outgoingFlow(ws, sym).map((call) => ({ to: flowItem(ws, call.item), fromRanges: call.ranges.map((r) => range(doc, r)) })) : null;
    }),
  );

  connection.onSelectionRanges(({ textDocument, positions }, token) =>
    withDoc(textDocument.uri, [], token, (_ws, doc) =>
      selectionRanges(doc, positions.map((p) => doc.lines.offsetAt(p))).map((spans, i) => {
        // Innermost first from the core; LSP nests them the other way, each with its parent. No range: the position itself.
        let parent: SelectionRange | undefined;
        for (const span of [...spans].reverse()) parent = { range: range(doc, span), ...(parent ? { parent } : {}) };
        return parent ?? { range: { start: positions[i]!, end: positions[i]! } };
      }),
    ),
  );

  connection.onPrepareRename(({ textDocument, position }, token) =>
    withDoc(textDocument.uri, null, token, (ws, doc) => {
      const result = prepareRename(ws, doc, doc.lines.offsetAt(position));
      if ('error' in result) throw new ResponseError(-32803, result.error);
      return { range: range(doc, result.span), placeholder: result.placeholder };
    }),
  );

  connection.onRenameRequest(({ textDocument, position, newName }, token) =>
    withDoc(textDocument.uri, null, token, (ws, doc) => {
      const result = rename(ws, doc, doc.lines.offsetAt(position), newName);
      if ('error' in result) throw new ResponseError(-32803, result.error);
      const changes: Record<string, TextEdit[]> = {};
      for (const [key, edits] of result.edits) {
        const target = ws.getDocument(key)!;
        changes[state.uriOf(ws, key)] = edits.map((e) => ({ range: range(target, e.span), newText: e.newText }));
      }
      return { changes };
    }),
  );

  connection.onDocumentSymbol(({ textDocument }, token) =>
    withDoc(textDocument.uri, [], token, (_ws, doc) => {
      const convert = (item: OutlineItem): DocumentSymbol => ({
        name: item.name,
        ...(item.detail ? { detail: item.detail } : {}),
        kind: SYMBOL_KIND[item.kind],
        range: range(doc, item.span),
        selectionRange: range(doc, item.selection),
        children: item.children.map(convert),
      });
      return documentOutline(doc).map(convert);
    }),
  );

  connection.onWorkspaceSymbol(({ query }, token) => {
    if (token.isCancellationRequested) throw cancelled();
    // Every folder is searched: the symbol picker is the one view across folders.
    return state.workspaces().flatMap((ws) =>
      workspaceSymbols(ws, query).map((m) => ({
        name: m.name,
        kind: SYMBOL_KIND[m.kind],
        location: locationOf(ws, m.key, m.span),
        ...(m.container ? { containerName: m.container } : {}),
      })),
    );
  });

  connection.onCodeAction(({ textDocument, range: requested, context }, token) =>
    withDoc(textDocument.uri, [], token, (ws, doc) => {
      const toEdit = (fix: Fix): WorkspaceEdit => {
        const changes: Record<string, TextEdit[]> = {};
        for (const e of fix.edits) {
          const target = ws.getDocument(e.key)!;
          (changes[state.uriOf(ws, e.key)] ??= []).push({ range: range(target, e.span), newText: e.newText });
        }
        return { changes };
      };
      const actions: CodeAction[] = [];
      const only = context.only;
      const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
      if (wants(CodeActionKind.QuickFix)) {
        for (const lsp of context.diagnostics) {
          if (lsp.source !== 'kpi' || typeof lsp.code !== 'string') continue;
          // The diagnostic as the editor has it now, with the payload it was published with. An
          // editor that does not send `data` back gets the payload of the server's own diagnostic
          // with that code at that place, so its rule fixes are still offered.
          const span = { start: doc.lines.offsetAt(lsp.range.start), end: doc.lines.offsetAt(lsp.range.end) };
          const code = lsp.code;
          const data = lsp.data ?? ws.diagnostics(doc.key).find((d) => d.code === code && d.span.start === span.start)?.data;
          const diagnostic = { code, span, data };
          for (const fix of fixesFor(ws, doc, diagnostic)) {
            actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [lsp], edit: toEdit(fix), ...(fix.preferred ? { isPreferred: true } : {}) });
          }
        }
      }
      if (wants(CodeActionKind.SourceFixAll) && (only || actions.length > 0 || requested)) {
        const edits = fixAll(ws, doc);
        if (edits.length > 0) {
          actions.push({ title: 'Fix all auto-fixable KPI problems', kind: CodeActionKind.SourceFixAll, edit: toEdit({ title: '', edits }) });
        }
      }
      return actions;
    }),
  );

  connection.onCodeLens(({ textDocument }, token) =>
    withDoc(textDocument.uri, [], token, (ws, doc) =>
      codeLenses(ws, doc).flatMap((lens) => {
        const at = range(doc, lens.span);
        const status = { range: at, command: { title: lens.title, command: '' } };
        // The preview command is the VS Code extension's; other editors simply show the status.
        if (!lens.openInScorecard || !state.clientIsVsCode()) return [status];
        return [status, { range: at, command: { title: 'Open in scorecard', command: 'kpi.openScorecard', arguments: [textDocument.uri, lens.name] } }];
      }),
    ),
  );

  connection.languages.inlayHint.on(({ textDocument, range: requested }, token) =>
    withDoc(textDocument.uri, [], token, (ws, doc) => {
      const span = { start: doc.lines.offsetAt(requested.start), end: doc.lines.offsetAt(requested.end) };
      return inlayHints(ws, doc, span, state.inlayOptions()).map((h) => ({
        position: doc.lines.positionAt(h.offset),
        label: h.label,
        kind: h.kind === 'ownerFunction' ? InlayHintKind.Type : InlayHintKind.Parameter,
        paddingLeft: true,
        ...(h.tooltip ? { tooltip: h.tooltip } : {}),
      }));
    }),
  );

  connection.onFoldingRanges(({ textDocument }, token) =>
    withDoc(textDocument.uri, [], token, (_ws, doc) =>
      foldingRanges(doc).map((r) => ({
        startLine: r.startLine,
        endLine: r.endLine,
        ...(r.kind ? { kind: r.kind === 'comment' ? FoldingRangeKind.Comment : FoldingRangeKind.Region } : {}),
      })),
    ),
  );

  // Tokens are kept per workspace between requests, so a request after an edit costs what the edit touched.
  const tokenCaches = new WeakMap<Workspace, SemanticTokenCache>();
  const tokensOf = (ws: Workspace) => {
    let cache = tokenCaches.get(ws);
    if (!cache) tokenCaches.set(ws, (cache = new SemanticTokenCache(ws)));
    return cache;
  };
  connection.languages.semanticTokens.on(({ textDocument }, token) => withDoc<SemanticTokens>(textDocument.uri, { data: [] }, token, (ws, doc) => tokensOf(ws).full(doc)));

  connection.languages.semanticTokens.onDelta(({ textDocument, previousResultId }, token) =>
    withDoc<SemanticTokens | SemanticTokensDelta>(textDocument.uri, { data: [] }, token, (ws, doc) => tokensOf(ws).delta(doc, previousResultId)),
  );

  connection.languages.semanticTokens.onRange(({ textDocument, range: requested }, token) =>
    withDoc(textDocument.uri, { data: [] }, token, (ws, doc) => {
      const span = { start: doc.lines.offsetAt(requested.start), end: doc.lines.offsetAt(requested.end) };
      return { data: tokensOf(ws).range(doc, span) };
    }),
  );

  // Formatting never touches a document with syntax errors: no edits rather than a risky rewrite.
  connection.onDocumentFormatting(({ textDocument }, token) =>
    withDoc(textDocument.uri, [], token, (_ws, doc) => {
      const formatted = formatDocument(doc.text);
      if (formatted === undefined || formatted === doc.text) return [];
      return [{ range: range(doc, { start: 0, end: doc.text.length }), newText: formatted }];
    }),
  );

  connection.onDocumentRangeFormatting(({ textDocument, range: requested }, token) =>
    withDoc(textDocument.uri, [], token, (_ws, doc) => {
      const edits = formatRange(doc.text, doc.lines.offsetAt(requested.start), doc.lines.offsetAt(requested.end)) ?? [];
      return edits.map((e) => ({ range: range(doc, { start: e.start, end: e.end }), newText: e.newText }));
    }),
  );

  const scorecards = new ScorecardUpdates();
  /** The workspace and scope a scorecard request asks for: a named folder wins; else the folder of the document; else the first folder. */
  const scorecardOf = ({ scope, uri, folder }: ScorecardParams, token: CancellationToken) => {
    if (token.isCancellationRequested) throw cancelled();
    const ws = (folder ? state.folderWorkspace(folder) : undefined) ?? (uri ? state.workspaceOf(uri) : undefined) ?? state.defaultWorkspace();
    if (!ws) throw new ResponseError(-32002, 'The KPI language server is not initialized yet.');
    const doc = scope === 'file' && uri && ws === state.workspaceOf(uri) ? state.document(uri) : undefined;
    return { ws, scope: doc ? ({ kind: 'file', file: doc.key } as const) : ({ kind: 'workspace' } as const) };
  };
  connection.onRequest(ScorecardRequest, (params, token) => {
    const { ws, scope } = scorecardOf(params, token);
    return scorecards.model(ws, scope);
  });
  connection.onRequest(ScorecardUpdateRequest, (params, token) => {
    const { ws, scope } = scorecardOf(params, token);
    return scorecards.update(ws, scope, params.since);
  });

  connection.onRequest(ResolveFileRequest, ({ file, uri }) => {
    // A key is relative to its folder: the folder of `uri` when given, else the first folder holding such a key.
    const candidates = uri ? [state.workspaceOf(uri)] : state.workspaces();
    const ws = candidates.find((candidate) => candidate?.getDocument(file));
    return ws ? state.uriOf(ws, file) : null;
  });

  connection.onRequest(ServerInfoRequest, () => ({ pid: state.processId, readsDataFiles: state.readsDataFiles() }));

  connection.onDocumentLinks(({ textDocument }, token) =>
    withDoc(textDocument.uri, [], token, (ws, doc) =>
      documentLinks(ws, doc).map((link) => ({ range: range(doc, link.span), target: pathToFileURL(link.target).toString(), tooltip: 'Open the data file' })),
    ),
  );
}
