import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** The extension's log ("Prompt Budget" in the Output panel), created on first use. */
export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Prompt Budget', { log: true });
  return channel;
}

/** Runs `task` and logs how long it took, so slow paths show up in the log. */
export async function measure<T>(name: string, task: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  try {
    return await task();
  } finally {
    log().trace(`${name}: ${(performance.now() - started).toFixed(1)} ms`);
  }
}

/** Registers a command whose failures are logged and shown, instead of vanishing. */
export function registerCommand(id: string, handler: (...args: never[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: never[]) => {
    try {
      return await handler(...args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log().error(`${id} failed`, error);
      void vscode.window.showErrorMessage(`Prompt Budget: ${message}`);
      return undefined;
    }
  });
}

/** Disposes the log channel on deactivation. */
export function disposeLog(): void {
  channel?.dispose();
  channel = undefined;
}
