import * as vscode from 'vscode';

const CHOSEN_KEY = 'promptBudget.chosenModel';
const RECENT_KEY = 'promptBudget.recentModels';
const RECENT_LIMIT = 5;

/** The model the user picked for this workspace, and the ones picked recently (across workspaces). */
export class ModelChoice implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly context: vscode.ExtensionContext) {}

  /** The picked model id, if the user picked one in this workspace. */
  get chosen(): string | undefined {
    return this.context.workspaceState.get<string>(CHOSEN_KEY);
  }

  /** Recently picked ids, newest first. */
  get recent(): string[] {
    return this.context.globalState.get<string[]>(RECENT_KEY, []);
  }

  /** Remembers a pick (undefined clears it: back to the default). */
  async choose(modelId: string | undefined): Promise<void> {
    await this.context.workspaceState.update(CHOSEN_KEY, modelId);
    if (modelId) {
      const recent = [modelId, ...this.recent.filter((id) => id !== modelId)].slice(0, RECENT_LIMIT);
      await this.context.globalState.update(RECENT_KEY, recent);
    }
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
