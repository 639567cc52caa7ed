// When the language server dies, the extension starts it again — but not
// forever: a server that crashes on every start would flash errors and burn
// CPU. The limit is vscode-languageclient's own default (4 restarts within 3
// minutes), made explicit here so the extension can tell the user what
// happened and offer a manual restart. Pure logic, no vscode import, so unit
// tests can drive it with made-up times.

export const MAX_RESTARTS = 4;
export const RESTART_WINDOW_MS = 3 * 60_000;

export class RestartPolicy {
  /** Times of the crashes still inside the window, oldest first. */
  private readonly crashes: number[] = [];

  constructor(
    private readonly maxRestarts = MAX_RESTARTS,
    private readonly windowMs = RESTART_WINDOW_MS,
  ) {}

  /** Records a crash at `now` (ms) and says whether to restart the server. */
  crashed(now: number): boolean {
    this.crashes.push(now);
    while (this.crashes.length > 0 && now - this.crashes[0]! > this.windowMs) this.crashes.shift();
    return this.crashes.length <= this.maxRestarts;
  }

  /** A restart the user asked for starts the count afresh. */
  reset(): void {
    this.crashes.length = 0;
  }

  /** The message shown when the policy gives up. */
  gaveUpMessage(): string {
    const minutes = Math.round(this.windowMs / 60_000);
    return (
      `The KPI language server stopped unexpectedly ${this.maxRestarts + 1} times in ${minutes} minutes and is not restarted again. ` +
      'Diagnostics and the scorecard are paused; your documents are untouched.'
    );
  }
}
