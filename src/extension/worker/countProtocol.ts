// Messages between the extension host and the count worker. No `vscode` import: the worker bundles this.
import type { BudgetConfig } from '../../core/config/budgetConfig';
import type { WorkspaceFileResult } from '../../core/check/checkWorkspace';
import type { TextChange } from '../../core/count/livePromptCount';
import type { PromptDiff } from '../../core/promptDiff/diffPromptChecks';
import type { PromptSettingSources } from '../../core/count/resolvePromptSettings';
import type { ModelOverride, ParsedPrompt, PromptCount, TokenizerId } from '../../core/types';

/** One file of a workspace scan: read by the worker from `path` (a local file), or sent as `bytes` (other schemes). */
export interface ScanFile {
  relativePath: string;
  path?: string;
  bytes?: Uint8Array;
  /** Why the extension host could not read it (other schemes), as a Node-style code (EACCES, EIO): reported as unreadable, never counted as empty. */
  readError?: string;
}

/** A folder at one revision, for a diff: its listing, and where each file the worker may read comes from. */
export interface SnapshotFiles {
  revision: string;
  files: string[];
  /** A local file's path, or bytes the extension host read (git's HEAD version); a file not here is missing. */
  sources: Record<string, { path: string } | { bytes: Uint8Array }>;
  /** The compared folder on disk, when it is local: a config's tokenizer files are read from there, as `prompt-budget diff` reads them. */
  folder?: string;
}

/** What a scan analyses under: plain data, so it crosses to the worker; the worker rebuilds the catalog. */
export interface ScanSettings {
  config?: BudgetConfig;
  settingsModels: readonly ModelOverride[];
  /** The settings beside the config; budgets go on top, file by file. */
  sources: Pick<PromptSettingSources, 'setting'>;
}

// `openId` tells one opening of a uri from the next: an untitled document closed and opened again
// reuses its uri and starts again at version 1, so uri and version alone could take an old reply for new.
export type CountRequest =
  /** `counted`: the extension host has counted this version itself (a short prompt): no result is sent for it. */
  | { kind: 'open'; uri: string; openId: number; version: number; fileName: string; text: string; tokenizer: TokenizerId; counted?: boolean }
  | { kind: 'change'; uri: string; openId: number; version: number; changes: TextChange[] }
  | { kind: 'tokenizer'; uri: string; openId: number; version: number; tokenizer: TokenizerId }
  | { kind: 'close'; uri: string; openId: number }
  /** Loads a tokenizer and counts a short sample with it ahead of need, when nothing else waits. */
  | { kind: 'warm'; tokenizer: TokenizerId }
  | { kind: 'boundaries'; id: number; tokenizer: TokenizerId; text: string }
  | { kind: 'countText'; id: number; fileName: string; text: string; tokenizers: TokenizerId[] }
  | { kind: 'scanFiles'; id: number; files: ScanFile[]; settings: ScanSettings }
  /** Checks both revisions as `prompt-budget check` does and diffs them; renames are [base path, head path]. */
  | { kind: 'diffSnapshots'; id: number; base: SnapshotFiles; head: SnapshotFiles; renames: [string, string][] }
  /** Stops a scan between two files (its folder is being analysed again); it ends with `scanDone` and `cancelled`. */
  | { kind: 'cancelScan'; id: number }
  /** Where fetched vocabularies are (the user's folders, the global storage); open documents of those families are counted again. */
  | { kind: 'vocabularySources'; folders: string[]; cacheDir: string }
  /** The price data file in force (Update Prices wrote or chose it): catalogs built from now on read it again. */
  | { kind: 'priceDataFile'; file: string };

export type CountResponse =
  | { kind: 'counted'; uri: string; openId: number; version: number; parsed: ParsedPrompt; count: PromptCount; elapsedMs: number }
  | { kind: 'failed'; uri: string; openId: number; version: number; message: string }
  | { kind: 'reply'; id: number; boundaries?: number[]; counts?: { parsed: ParsedPrompt; byTokenizer: Partial<Record<TokenizerId, PromptCount>> }; diff?: PromptDiff; error?: string };

/** Replies to `scanFiles`; a union of their own, so document counting's handlers stay as they are. */
export type ScanResponse =
  /** A batch of a scan's results; `done` of `total` files are analysed so far. */
  /** `missing`: files that no longer exist (deleted after they were listed); they are not prompts to report. */
  | { kind: 'scanned'; id: number; results: WorkspaceFileResult[]; missing: string[]; done: number; total: number }
  | { kind: 'scanDone'; id: number; cancelled: boolean; error?: string };
