// The scorecard models the server builds for its clients: one incremental
// builder per workspace (so a rebuild after an edit makes anew only what the
// edit can change), and the last model sent for each view of it, so that the
// preview panel gets a delta (`kpi/scorecardUpdate`) instead of the whole
// model after every edit.
import { diffModels, isEmptyDelta, ScorecardBuilder, type ScorecardModel, type ScorecardScope, type Workspace } from './language/service';
import type { ScorecardUpdate } from './protocol';

/** How many views of a workspace keep their last model (the panel shows one at a time; a few spare for switching). */
const KEPT_VIEWS = 4;

export class ScorecardUpdates {
  private readonly builders = new WeakMap<Workspace, ScorecardBuilder>();
  private readonly sent = new WeakMap<Workspace, Map<string, { id: string; model: ScorecardModel }>>();
  private counter = 0;
  /** Ids are unique across restarts of the server: a client holding a model from an earlier process never takes a new one for it. */
  private readonly session = `${Date.now().toString(36)}.${Math.floor(Math.random() * 1e9).toString(36)}`;

  /** The model of `scope` in `workspace`, built incrementally. */
  model(workspace: Workspace, scope: ScorecardScope): ScorecardModel {
    let builder = this.builders.get(workspace);
    if (!builder) this.builders.set(workspace, (builder = new ScorecardBuilder()));
    return builder.build(workspace, scope);
  }

  /** The model as what changed since the model `since` the client holds, when the server still has that one. */
  update(workspace: Workspace, scope: ScorecardScope, since: string | undefined): ScorecardUpdate {
    const model = this.model(workspace, scope);
    const view = scope.kind === 'file' ? `file:${scope.file}` : 'workspace';
    let views = this.sent.get(workspace);
    if (!views) this.sent.set(workspace, (views = new Map()));
    const last = views.get(view);
    views.delete(view);
    if (last && since === last.id) {
      const delta = diffModels(last.model, model);
      if (isEmptyDelta(last.model, delta)) {
        views.set(view, last);
        return { id: last.id, base: last.id, delta };
      }
      const id = this.nextId();
      this.remember(views, view, { id, model });
      return { id, base: last.id, delta };
    }
    const id = this.nextId();
    this.remember(views, view, { id, model });
    return { id, model };
  }

  private remember(views: Map<string, { id: string; model: ScorecardModel }>, view: string, entry: { id: string; model: ScorecardModel }): void {
    views.set(view, entry);
    // The least recently asked-for views go first.
    while (views.size > KEPT_VIEWS) views.delete(views.keys().next().value!);
  }

  private nextId(): string {
    return `${this.session}.${++this.counter}`;
  }
}
