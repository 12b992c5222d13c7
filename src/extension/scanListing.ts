// What the workspace scan reads: a workspace folder's files (each real file once, as the CLI lists
// them) and, for a request to the worker, each file as a path or as bytes.
import * as vscode from 'vscode';
import { selectPromptFiles, SKIPPED_FOLDERS } from '../core/check/checkWorkspace';
import type { BudgetConfig } from '../core/config/budgetConfig';
import { detectPromptFormat } from '../core/prompts/detectPromptFormat';
import { realFileIn } from '../core/io/realFileIn';
import { uniqueRealFiles } from '../core/io/uniqueRealFiles';
import type { ScanFile } from './worker/countProtocol';
import { relativePath } from './workspaceBudgets';

// Folders that never hold a team's prompts and can be huge; the CLI skips the same ones.
const SKIPPED_GLOB = `**/{${SKIPPED_FOLDERS.join(',')}}/**`;

/** Every file below `base` (a workspace folder, or a folder created in one), relative to `folder` with `/` separators. */
export async function listFiles(folder: vscode.WorkspaceFolder, base: vscode.Uri = folder.uri): Promise<string[]> {
  const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(base, '**/*'), SKIPPED_GLOB);
  const paths = uris.map((uri) => relativePath(folder, uri));
  // VS Code's search follows links, listing a linked folder's files again: each real file is counted once, as the CLI does.
  return folder.uri.scheme === 'file' ? uniqueRealFiles(paths, realFileIn(folder.uri.fsPath), mayBePrompt) : paths;
}

/** `added` (paths relative to `root`) without the files that are linked copies of prompt files listed already (a link to a folder was created). */
export async function withoutLinkedCopies(root: vscode.Uri, config: BudgetConfig | undefined, listed: Iterable<string>, added: string[]): Promise<string[]> {
  if (root.scheme !== 'file') return added;
  const nameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);
  const names = new Set(added.map(nameOf));
  const adding = new Set(added);
  const known = selectPromptFiles(config, [...listed]).filter((path) => names.has(nameOf(path)) && !adding.has(path));
  const kept = new Set(await uniqueRealFiles([...known, ...added], realFileIn(root.fsPath)));
  return added.filter((path) => kept.has(path));
}

/** Files for a worker request: local files go as paths; other schemes are read here and sent as bytes. */
export async function scanFiles(root: vscode.Uri, paths: readonly string[]): Promise<ScanFile[]> {
  if (root.scheme === 'file') return paths.map((path) => ({ relativePath: path, path: vscode.Uri.joinPath(root, path).fsPath }));
  // Virtual and remote file systems are only reachable through VS Code; the worker decodes the bytes.
  return Promise.all(
    paths.map(async (path) => {
      try {
        return { relativePath: path, bytes: await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root, path)) };
      } catch (error) {
        // No path and no bytes: the worker reports it missing; any other failure is a file that cannot be read.
        if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return { relativePath: path };
        return { relativePath: path, readError: error instanceof vscode.FileSystemError && error.code === 'NoPermissions' ? 'EACCES' : 'EIO' };
      }
    }),
  );
}

/** Whether a path lies in a folder that is never scanned. */
export function isSkipped(path: string): boolean {
  return path.split('/').some((part) => SKIPPED_FOLDERS.includes(part));
}

/** Whether a file can be a prompt by its name (any format, `.json` included): only those are checked for linked copies. */
function mayBePrompt(path: string): boolean {
  return detectPromptFormat(path) !== undefined || path.toLowerCase().endsWith('.json');
}
