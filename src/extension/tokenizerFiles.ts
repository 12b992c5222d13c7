// Vocabularies fetched on demand, in the editor: where the count workers look for them (the
// promptBudget.tokenizers.folder setting, PROMPT_BUDGET_TOKENIZERS, the Hugging Face cache, the
// extension's global storage), the consent to download one (promptBudget.tokenizers.download: ask
// once per family and remember, always, never), "Prompt Budget: Download Tokenizer…", and a back-off
// after a failed download. Downloads use the extension host's fetch, which VS Code sends through its
// proxy settings (http.proxy, with http.fetchAdditionalSupport on, its default).
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { PromptAnalysis } from '../core/count/analyzePrompt';
import { DownloadBackoff } from '../core/tokenize/sources/downloadBackoff';
import { downloadVocabulary, isOffline } from '../core/tokenize/sources/downloadVocabulary';
import { describeLocation, FETCHED_VOCABULARY_IDS, isFetchedVocabulary, PINNED_VOCABULARIES, standInEstimate, type FetchedVocabularyId } from '../core/tokenize/sources/pinnedVocabularies';
import { findVocabulary, vocabularySourcesFromEnv, type VocabularySources } from '../core/tokenize/sources/vocabularyFiles';
import { COMMAND } from './commandIds';
import { log, registerCommand } from './log';
import { onDidChangeSettings, readSettings } from './settings';
import type { CountRequest } from './worker/countProtocol';

type VocabularySourcesRequest = Extract<CountRequest, { kind: 'vocabularySources' }>;

// Module state, like the price data file: count workers are started by several surfaces, each tells
// its new worker where to look (postVocabularySources) and hears of changes through this list.
let current: VocabularySourcesRequest | undefined;
const workers = new Set<Worker>();

/** Tells a newly started count worker where fetched vocabularies are, now and after every change. */
export function postVocabularySources(worker: Worker): void {
  workers.add(worker);
  worker.once('exit', () => workers.delete(worker));
  if (current) worker.postMessage(current);
}

function publish(request: VocabularySourcesRequest): void {
  current = request;
  for (const worker of workers) worker.postMessage(request);
}

/** Where the host finds and keeps custom vocabularies a config names: the workers' sources (global storage), else the CLI's. */
export function editorVocabularySources(): VocabularySources {
  const fromEnv = vocabularySourcesFromEnv(process.env, current?.folders ?? []);
  return current ? { ...fromEnv, cacheDir: current.cacheDir } : fromEnv;
}

const ANSWER_KEY = 'promptBudget.tokenizers.answers';

/** What a document shows while it waits for a fetched vocabulary: the family, if the count is its estimate. */
function missingVocabularyOf(analysis: Pick<PromptAnalysis, 'resolved' | 'count'>): FetchedVocabularyId | undefined {
  const wanted = analysis.resolved.model?.tokenizer;
  return wanted && isFetchedVocabulary(wanted) && analysis.count.tokenizer === standInEstimate(wanted) ? wanted : undefined;
}

/** Registers the sources, the consent prompt and the download command; nothing is read or fetched on activation. */
export function registerTokenizerFiles(context: vscode.ExtensionContext, onDidAnalyze: vscode.Event<Pick<PromptAnalysis, 'resolved' | 'count'>>): void {
  const cacheDir = path.join(context.globalStorageUri.fsPath, 'tokenizers');
  const backoff = new DownloadBackoff();
  const asked = new Set<FetchedVocabularyId>();
  const running = new Map<FetchedVocabularyId, Promise<boolean>>();
  // Downloaded in this session: documents still counted by the estimate until the workers recount ask for nothing more.
  const downloaded = new Set<FetchedVocabularyId>();
  const useSettings = (): void => {
    const folder = readSettings().tokenizers.folder;
    publish({ kind: 'vocabularySources', folders: folder ? [folder] : [], cacheDir });
  };
  useSettings();

  const download = (id: FetchedVocabularyId, interactive: boolean): Promise<boolean> => {
    const already = running.get(id);
    if (already) return already;
    const pinned = PINNED_VOCABULARIES[id];
    const task = Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Prompt Budget: downloading the ${pinned.label} tokenizer (${(pinned.bytes / 1e6).toFixed(1)} MB)…` }, () =>
        downloadVocabulary(pinned, { cacheDir, env: process.env }),
      ),
    )
      .then(
        () => {
          downloaded.add(id);
          backoff.succeeded(id);
          log().info(`Tokenizer ${id}: downloaded, verified (sha256 ${pinned.sha256}) and kept in ${cacheDir}`);
          // The workers look again and count the documents of this family exactly.
          useSettings();
          return true;
        },
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          const next = new Date(backoff.failed(id, Date.now()));
          log().warn(`Tokenizer ${id}: ${message}; not tried again before ${next.toLocaleTimeString()} unless asked`);
          if (interactive) void vscode.window.showWarningMessage(`Prompt Budget: ${message}. Counts for ${pinned.label} models stay estimates (≈).`);
          return false;
        },
      )
      .finally(() => running.delete(id));
    running.set(id, task);
    return task;
  };

  const offer = async (id: FetchedVocabularyId): Promise<void> => {
    const { download: mode } = readSettings().tokenizers;
    if (mode === 'never' || isOffline(process.env) || running.has(id) || downloaded.has(id) || !backoff.mayTry(id, Date.now())) return;
    if (mode === 'always') {
      await download(id, false);
      return;
    }
    const answers = context.globalState.get<Record<string, string>>(ANSWER_KEY, {});
    if (answers[id] === 'yes') {
      await download(id, false);
      return;
    }
    if (answers[id] === 'no' || asked.has(id)) return;
    asked.add(id);
    const pinned = PINNED_VOCABULARIES[id];
    const choice = await vscode.window.showInformationMessage(
      `Prompt Budget: ${pinned.label} counts are estimates (≈) until its tokenizer is on this machine. Download it (${(pinned.bytes / 1e6).toFixed(1)} MB, ${describeLocation(pinned.locations[0])} from Hugging Face, ${pinned.licence}) for exact counts? Nothing of your prompts is sent.`,
      'Download',
      'Not Now',
      'Never for ' + pinned.label,
    );
    if (choice === 'Download') {
      await context.globalState.update(ANSWER_KEY, { ...answers, [id]: 'yes' });
      await download(id, true);
    } else if (choice?.startsWith('Never')) {
      await context.globalState.update(ANSWER_KEY, { ...answers, [id]: 'no' });
    }
  };

  context.subscriptions.push(
    onDidAnalyze((analysis) => {
      const missing = missingVocabularyOf(analysis);
      if (missing) void offer(missing);
    }),
    registerCommand(COMMAND.downloadTokenizer, async () => {
      const folder = readSettings().tokenizers.folder;
      const fromEnv = vocabularySourcesFromEnv(process.env, folder ? [folder] : []);
      const sources = { ...fromEnv, cacheDir, otherCacheDirs: fromEnv.cacheDir ? [fromEnv.cacheDir] : [] };
      const items = await Promise.all(
        FETCHED_VOCABULARY_IDS.map(async (id) => {
          const pinned = PINNED_VOCABULARIES[id];
          const found = await findVocabulary(pinned, sources);
          return {
            id,
            label: pinned.label,
            description: found ? `exact: ${found.path}` : `${(pinned.bytes / 1e6).toFixed(1)} MB, ${pinned.licence}`,
            detail: describeLocation(pinned.locations[0]),
            picked: false,
            found: Boolean(found),
          };
        }),
      );
      const chosen = await vscode.window.showQuickPick(
        items.filter((item) => !item.found),
        { canPickMany: true, title: 'Prompt Budget: Download Tokenizer', placeHolder: items.every((item) => item.found) ? 'Every tokenizer is on this machine already' : 'Tokenizers to download from Hugging Face for exact counts' },
      );
      if (!chosen) return;
      if (isOffline(process.env)) {
        void vscode.window.showWarningMessage('Prompt Budget: HF_HUB_OFFLINE is set, so nothing is downloaded. Put the files in the folder of promptBudget.tokenizers.folder instead.');
        return;
      }
      for (const item of chosen) {
        backoff.succeeded(item.id);
        if (await download(item.id, true)) void vscode.window.showInformationMessage(`Prompt Budget: ${item.label} counts are exact now.`);
      }
    }),
    onDidChangeSettings((event) => {
      if (event.affectsConfiguration('promptBudget.tokenizers.folder')) useSettings();
    }),
    { dispose: () => workers.clear() },
  );
}
