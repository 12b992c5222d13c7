// The workspace scan's model: each config folder's files and their results, and the check the
// core's evaluateWorkspace makes of them (the CLI's engine).
import * as vscode from 'vscode';
import type { BudgetConfig } from '../core/config/budgetConfig';
import { evaluateWorkspace, type WorkspaceCheck, type WorkspaceFileResult } from '../core/check/checkWorkspace';
import type { Problem } from '../core/types';
import type { ScanSettings } from './worker/countProtocol';

/** A folder governed by one config: a workspace folder, or a subfolder with a prompt-budget.yaml of its own. */
export interface ConfigFolder {
  /** The folder the config's globs are relative to. */
  uri: vscode.Uri;
  /** The workspace folder's name, or the subfolder's path in it (`packages/a`). */
  name: string;
  workspaceFolder: vscode.WorkspaceFolder;
  /** The path from the workspace folder (`''` for the workspace folder itself). */
  relativeRoot: string;
}

/** One config folder's prompt files as last evaluated. */
export interface FolderScan {
  folder: ConfigFolder;
  /** The config the results were evaluated under (the last good one). */
  config?: BudgetConfig;
  /** Undefined until the folder's first results arrive. */
  check?: WorkspaceCheck;
  /** Each prompt file's analysis, by path relative to the config folder. */
  results: ReadonlyMap<string, WorkspaceFileResult>;
  scanning: boolean;
}

/** What the scan keeps of one config folder between events. */
export class ConfigFolderResults {
  /** Every file the config governs (relative to its folder, `/`-separated): unmatched globs are judged against all of them. */
  paths = new Set<string>();
  readonly results = new Map<string, WorkspaceFileResult>();
  config?: BudgetConfig;
  settings?: ScanSettings;
  settingsKey?: string;
  check?: WorkspaceCheck;
  /** Bumped by every full analysis; results of an older one are dropped. */
  generation = 0;
  /** Steps not yet finished (listing, analyses): the folder is idle at 0. */
  pendingRequests = 0;
  /** Scan requests the worker has not finished: cancelled when a newer analysis starts. */
  readonly scanIds = new Set<number>();

  constructor(readonly folder: ConfigFolder) {}

  /** The path from the workspace folder of a path relative to this config folder. */
  workspacePath(path: string): string {
    return this.folder.relativeRoot ? `${this.folder.relativeRoot}/${path}` : path;
  }

  /** Drops a file, or a folder with every file below it (a deleted folder gets one event); `''` drops them all. */
  forget(path: string): void {
    const below = `${path}/`;
    const gone = (known: string) => path === '' || known === path || known.startsWith(below);
    for (const known of [...this.paths]) if (gone(known)) this.paths.delete(known);
    for (const known of [...this.results.keys()]) if (gone(known)) this.results.delete(known);
  }

  /** Re-evaluates the budgets from the per-file results. */
  evaluate(): WorkspaceCheck {
    const files = [...this.results.values()].sort((a, b) => compareText(a.relativePath, b.relativePath));
    this.check = evaluateWorkspace(this.config, files, [...this.paths]);
    return this.check;
  }

  snapshot(): FolderScan {
    return { folder: this.folder, config: this.config, check: this.check, results: this.results, scanning: this.pendingRequests > 0 };
  }
}

/** Findings that belong on the config file: globs that match nothing, and each budget's monthly cost. */
export function configFindings(check: WorkspaceCheck, config: BudgetConfig): Problem[] {
  return check.problems.filter((problem) => problem.file === config.file && (problem.rule === 'unmatched-glob' || problem.rule === 'budget-monthly-cost'));
}

// Same order on every machine, as the CLI's sorted listing.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
