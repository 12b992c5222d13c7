// Checking a folder's prompt files, with its I/O passed in: the CLI gives Node's file system, the
// editor's scan worker gives files read by path or sent as bytes. Both get the same results.
import type { BudgetConfig } from '../config/budgetConfig';
import { analyzeWorkspaceFile, evaluateWorkspace, selectPromptFiles, type WorkspaceCheck, type WorkspaceFileResult } from './checkWorkspace';
import { decodePromptText } from '../io/decodePromptText';
import type { PromptSettingSources } from '../count/resolvePromptSettings';
import { isMissingFile, readErrorProblem } from '../io/readError';

export interface AnalyzeFilesOptions {
  /** How a file is named in messages (the CLI: relative to where it runs); problems' `file` stays the relative path. */
  label?: (relativePath: string) => string;
  /** Files gone when read are passed here instead of being reported unreadable (the editor: a delete event is on its way). */
  onMissing?: (relativePath: string) => void;
  /** Asked before each file: true stops the analysis. */
  isCancelled?: () => boolean;
  /** Files read ahead in parallel while earlier ones are counted. */
  readAhead?: number;
}

/**
 * Reads, decodes and analyses each file in order under its budgets, passing each result on as it
 * comes. Resolves to true when cancelled.
 */
export async function analyzeFiles(
  relativePaths: readonly string[],
  readFile: (relativePath: string) => Promise<Uint8Array>,
  config: BudgetConfig | undefined,
  sources: PromptSettingSources,
  onResult: (result: WorkspaceFileResult) => void,
  options: AnalyzeFilesOptions = {},
): Promise<boolean> {
  const label = options.label ?? ((path: string) => path);
  const readAhead = Math.max(1, options.readAhead ?? 1);
  const read = (relativePath: string) =>
    readFile(relativePath).then(
      (bytes) => {
        const decoded = decodePromptText(label(relativePath), bytes);
        return 'text' in decoded ? decoded.text : { problem: { ...decoded.problem, file: relativePath } };
      },
      (error: unknown) => ({ error }),
    );
  const reads = relativePaths.slice(0, readAhead).map(read);
  for (let index = 0; index < relativePaths.length; index++) {
    if (options.isCancelled?.()) return true;
    if (index + readAhead < relativePaths.length) reads.push(read(relativePaths[index + readAhead]));
    const relativePath = relativePaths[index];
    const text = await reads[index];
    // The text is not needed again: let it go while the rest of the folder is analysed.
    reads[index] = Promise.resolve('');
    if (typeof text === 'object' && 'error' in text) {
      if (options.onMissing && isMissingFile(text.error)) {
        options.onMissing(relativePath);
        continue;
      }
      onResult(await analyzeWorkspaceFile({ relativePath, text: { problem: readErrorProblem(relativePath, text.error, label(relativePath)) } }, config, sources));
      continue;
    }
    onResult(await analyzeWorkspaceFile({ relativePath, text }, config, sources));
  }
  return false;
}

/** What checking a folder needs from outside: its files, their bytes, and where progress goes. */
export interface FolderIo {
  /** Every file below the folder, relative and `/`-separated; skipped folders (SKIPPED_FOLDERS) left out. */
  listFiles(): Promise<string[]>;
  /** A file's bytes; rejects with a Node-style error (code ENOENT, EISDIR, EACCES…) when it cannot. */
  readFile(relativePath: string): Promise<Uint8Array>;
  /** How a file is named in messages; the relative path by default. */
  label?: (relativePath: string) => string;
  onProgress?: (done: number, total: number) => void;
}

/** Lists a folder, analyses its prompt files under the config's budgets, and evaluates the budgets: `prompt-budget check`. */
export async function checkFolder(io: FolderIo, config: BudgetConfig | undefined, sources: PromptSettingSources): Promise<WorkspaceCheck> {
  const relativePaths = await io.listFiles();
  const selected = selectPromptFiles(config, relativePaths);
  const files: WorkspaceFileResult[] = [];
  await analyzeFiles(selected, io.readFile, config, sources, (result) => {
    files.push(result);
    io.onProgress?.(files.length, selected.length);
  }, { label: io.label });
  return evaluateWorkspace(config, files, relativePaths, [], io.label);
}
