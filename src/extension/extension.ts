import * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Surfaces are registered here as they land.
}

export function deactivate(): void {}
