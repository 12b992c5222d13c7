// The prompt worker: tokenizer ranks load here and every count and workspace scan runs here, so typing in a
// 4 MB prompt never blocks the extension host. No `vscode` import.
import { parentPort } from 'node:worker_threads';
import { readRegularFile } from '../../core/io/readRegularFile';
import { analyzeFiles } from '../../core/check/checkFolder';
import type { WorkspaceFileResult } from '../../core/check/checkWorkspace';
import { catalogWithOverrides } from '../../core/catalog/catalogWithOverrides';
import { setActivePriceData, setPriceDataFile } from '../../core/catalog/activePriceData';
import { LivePromptCount } from '../../core/count/livePromptCount';
import { countPrompt } from '../../core/prompts/countPrompt';
import { parsePrompt } from '../../core/prompts/parsePrompt';
import { loadTokenCounter, setCustomRanksReader, setFetchedRanksReader } from '../../core/tokenize/tokenCounter';
import { readConvertedCustomVocabulary, withCustomTokenizers } from '../../core/tokenize/sources/customTokenizerFiles';
import { isFetchedVocabulary, PINNED_VOCABULARIES } from '../../core/tokenize/sources/pinnedVocabularies';
import { findVocabulary, vocabularySourcesFromEnv, type VocabularySources } from '../../core/tokenize/sources/vocabularyFiles';
import type { PromptAnalysis } from '../../core/count/analyzePrompt';
import type { PromptCount, TokenizerId } from '../../core/types';
import { ModelCatalog } from '../../core/catalog/modelCatalog';
import { diffPromptChecks } from '../../core/promptDiff/diffPromptChecks';
import { checkSnapshot, type FolderSnapshot, type SnapshotCheckOptions } from '../../core/promptDiff/snapshotCheck';
import type { CountRequest, CountResponse, ScanFile, ScanResponse, ScanSettings, SnapshotFiles } from './countProtocol';
import { warmUpCounting } from './warmUpCounting';

interface OpenDocument {
  openId: number;
  live: Promise<LivePromptCount>;
  /** The tokenizer asked for: a fetched vocabulary's document counts with the estimate until its file is there. */
  tokenizer: TokenizerId;
  version: number;
  /** When the oldest request not yet answered with a count arrived: `elapsedMs` runs from there. */
  since: number | undefined;
}

const documents = new Map<string, OpenDocument>();
const dirty = new Set<string>();
let flushScheduled = false;

function post(response: CountResponse | ScanResponse): void {
  parentPort?.postMessage(response);
}

function handle(request: CountRequest): void {
  switch (request.kind) {
    case 'open': {
      const live = loadTokenCounter(request.tokenizer).then((counter) => new LivePromptCount(request.fileName, request.text, counter));
      // Counted on the extension host already: the same count is not sent again; edits are counted here.
      documents.set(request.uri, { openId: request.openId, live, tokenizer: request.tokenizer, version: request.version, since: request.counted ? undefined : performance.now() });
      if (!request.counted) markDirty(request.uri);
      return;
    }
    case 'change': {
      const document = openDocument(request.uri, request.openId);
      if (!document) return;
      document.version = request.version;
      document.since ??= performance.now();
      document.live = document.live.then((live) => {
        live.applyChanges(request.changes);
        return live;
      });
      markDirty(request.uri);
      return;
    }
    case 'tokenizer': {
      const document = openDocument(request.uri, request.openId);
      if (!document) return;
      document.version = request.version;
      document.since ??= performance.now();
      document.tokenizer = request.tokenizer;
      document.live = Promise.all([document.live, loadTokenCounter(request.tokenizer)]).then(([live, counter]) => {
        live.setCounter(counter);
        return live;
      });
      markDirty(request.uri);
      return;
    }
    case 'close':
      // A close that crossed a newer open of the same uri leaves that one alone.
      if (!openDocument(request.uri, request.openId)) return;
      documents.delete(request.uri);
      dirty.delete(request.uri);
      return;
    case 'warm':
      // After whatever is queued: a document opened meanwhile is counted first.
      setImmediate(() => void loadTokenCounter(request.tokenizer).then(warmUpCounting, () => undefined));
      return;
    case 'boundaries':
      loadTokenCounter(request.tokenizer).then(
        (counter) => post({ kind: 'reply', id: request.id, boundaries: counter.tokenBoundaries(request.text) }),
        (error: unknown) => post({ kind: 'reply', id: request.id, error: String(error) }),
      );
      return;
    case 'countText':
      countText(request.fileName, request.text, request.tokenizers).then(
        (counts) => post({ kind: 'reply', id: request.id, counts }),
        (error: unknown) => post({ kind: 'reply', id: request.id, error: String(error) }),
      );
      return;
    case 'diffSnapshots': {
      const { id, base, head, renames } = request;
      // After any scan in progress, like a scan: one folder-sized job at a time.
      scans = scans.then(async () => {
        try {
          const builtIn = ModelCatalog.builtIn();
          const [baseCheck, headCheck] = await Promise.all([checkSnapshot(snapshotOf(base), snapshotOptions(base, builtIn)), checkSnapshot(snapshotOf(head), snapshotOptions(head, builtIn))]);
          post({ kind: 'reply', id, diff: diffPromptChecks(baseCheck, headCheck, { renames: new Map(renames) }) });
        } catch (error) {
          post({ kind: 'reply', id, error: error instanceof Error ? error.message : String(error) });
        }
      });
      return;
    }
    case 'scanFiles': {
      const { id, files, settings } = request;
      queuedScans.add(id);
      // One scan at a time, in the order asked: a file saved during a scan is analysed after it.
      scans = scans.then(() =>
        scanFiles(id, files, settings).then(
          (cancelled) => post({ kind: 'scanDone', id, cancelled }),
          (error: unknown) => post({ kind: 'scanDone', id, cancelled: false, error: error instanceof Error ? error.message : String(error) }),
        ).finally(() => {
          queuedScans.delete(id);
          cancelledScans.delete(id);
        }),
      );
      return;
    }
    case 'vocabularySources':
      useVocabularySources(request.folders, request.cacheDir);
      return;
    case 'priceDataFile':
      // Read again even when the path is the same: an update rewrites the file in place.
      setPriceDataFile(request.file);
      setActivePriceData(undefined);
      return;
    case 'cancelScan':
      // A scan that has finished already has nothing to stop (and must not leave its id behind).
      if (queuedScans.has(request.id)) cancelledScans.add(request.id);
      return;
  }
}

let scans: Promise<void> = Promise.resolve();
/** Scans asked for and not yet done; those also in `cancelledScans` stop at their next file. */
const queuedScans = new Set<number>();
const cancelledScans = new Set<number>();
// Results go out in batches: one message per file would flood the extension host's event loop.
const SCAN_BATCH_FILES = 64;
const SCAN_BATCH_MS = 100;
// Files read ahead in parallel while earlier ones are counted.
const SCAN_READ_AHEAD = 16;

/** Analyses each file under its budgets (the CLI's engine, core analyzeFiles) and posts the results in batches; true when cancelled. */
async function scanFiles(id: number, files: readonly ScanFile[], settings: ScanSettings): Promise<boolean> {
  const { config, settingsModels, sources } = settings;
  const contextSources = { ...sources, config, catalog: catalogWithOverrides(settingsModels, config) };
  const byPath = new Map(files.map((file) => [file.relativePath, file]));
  let batch: WorkspaceFileResult[] = [];
  let missing: string[] = [];
  let batchStarted = performance.now();
  let done = 0;
  const flushBatch = () => {
    post({ kind: 'scanned', id, results: batch, missing, done, total: files.length });
    batch = [];
    missing = [];
    batchStarted = performance.now();
  };
  const counted = () => {
    done++;
    if (batch.length + missing.length >= SCAN_BATCH_FILES || performance.now() - batchStarted >= SCAN_BATCH_MS) flushBatch();
  };
  const cancelled = await analyzeFiles(
    files.map((file) => file.relativePath),
    (relativePath) => readScanFile(byPath.get(relativePath)!),
    config,
    contextSources,
    (result) => {
      batch.push(withoutSegmentText(result));
      counted();
    },
    {
      // Deleted between listing and reading: the watcher's delete event may not have reached the extension host yet.
      onMissing: (relativePath) => {
        missing.push(relativePath);
        counted();
      },
      isCancelled: () => cancelledScans.has(id),
      readAhead: SCAN_READ_AHEAD,
    },
  );
  if (!cancelled && (batch.length > 0 || missing.length > 0 || files.length === 0)) flushBatch();
  return cancelled;
}

/** A scan file's bytes: sent by the extension host, or read here; a failure the host met is rethrown with its code. */
async function readScanFile(file: ScanFile): Promise<Uint8Array> {
  if (file.readError !== undefined) throw Object.assign(new Error(''), { code: file.readError });
  if (file.bytes !== undefined) return file.bytes;
  if (file.path === undefined) throw Object.assign(new Error(''), { code: 'ENOENT' });
  // Regular files only, with a size cap: a FIFO or a device named like a prompt must not stall the scan.
  return readRegularFile(file.path);
}

// The extension host keeps thousands of results: it needs counts and labels, not the prompts' text again.
function withoutSegmentText(result: WorkspaceFileResult): WorkspaceFileResult {
  const strip = (analysis: PromptAnalysis): PromptAnalysis => ({
    ...analysis,
    parsed: {
      ...analysis.parsed,
      segments: analysis.parsed.segments.map((segment) => ({ ...segment, text: '' })),
      rendered: undefined,
    },
  });
  const byBudget = new Map([...result.byBudget].map(([name, analysis]) => [name, strip(analysis)]));
  const first = result.budgets[0];
  return { ...result, analysis: result.analysis && (first ? byBudget.get(first) : strip(result.analysis)), byBudget };
}

async function countText(fileName: string, text: string, tokenizers: TokenizerId[]) {
  const parsed = parsePrompt(fileName, text);
  const byTokenizer: Partial<Record<TokenizerId, PromptCount>> = {};
  for (const tokenizer of new Set(tokenizers)) byTokenizer[tokenizer] = countPrompt(parsed, await loadTokenCounter(tokenizer));
  return { parsed, byTokenizer };
}

/** A revision sent by the extension host: local files read here, HEAD's versions sent as bytes. */
function snapshotOf(files: SnapshotFiles): FolderSnapshot {
  return {
    revision: files.revision,
    listFiles: async () => files.files,
    readFile: async (relativePath) => {
      const source = Object.hasOwn(files.sources, relativePath) ? files.sources[relativePath] : undefined;
      if (!source) throw Object.assign(new Error(`${relativePath} is not in ${files.revision}`), { code: 'ENOENT' });
      return 'bytes' in source ? source.bytes : readRegularFile(source.path);
    },
  };
}

/** As `prompt-budget diff` checks a revision: a config's tokenizer files are read from the folder on disk, when it is local. */
function snapshotOptions(files: SnapshotFiles, builtIn: ModelCatalog): SnapshotCheckOptions {
  const folder = files.folder;
  return { builtIn, resolveConfig: folder === undefined ? undefined : (read) => withCustomTokenizers(read, folder, vocabularySources) };
}

/** Where vocabularies are looked for and converted ones kept: the editor's, once it has said (see useVocabularySources). */
let vocabularySources: VocabularySources = vocabularySourcesFromEnv(process.env);

/** Looks for fetched vocabularies where the editor says, and counts the documents waiting for one again. */
function useVocabularySources(folders: string[], cacheDir: string): void {
  const fromEnv = vocabularySourcesFromEnv(process.env, folders);
  const sources = { ...fromEnv, cacheDir, otherCacheDirs: fromEnv.cacheDir ? [fromEnv.cacheDir] : [] };
  vocabularySources = sources;
  setFetchedRanksReader(async (id) => (await findVocabulary(PINNED_VOCABULARIES[id], sources))?.ranks);
  // Custom vocabularies a config names: converted by the host (or the CLI) into one of these folders.
  setCustomRanksReader(async (id) => (await readConvertedCustomVocabulary(cacheDir, id)) ?? (fromEnv.cacheDir ? readConvertedCustomVocabulary(fromEnv.cacheDir, id) : undefined));
  for (const [uri, document] of documents) {
    if (!isFetchedVocabulary(document.tokenizer)) continue;
    document.since ??= performance.now();
    document.live = Promise.all([document.live, loadTokenCounter(document.tokenizer)]).then(([live, counter]) => {
      live.setCounter(counter);
      return live;
    });
    markDirty(uri);
  }
}

function openDocument(uri: string, openId: number): OpenDocument | undefined {
  const document = documents.get(uri);
  return document?.openId === openId ? document : undefined;
}

// Several edits that arrive together produce one result, not one per keystroke.
function markDirty(uri: string): void {
  dirty.add(uri);
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(flush);
}

function flush(): void {
  flushScheduled = false;
  for (const uri of dirty) {
    const document = documents.get(uri);
    if (!document) continue;
    const { openId, version } = document;
    document.live.then(
      (live) => {
        // A newer edit has arrived since: its own flush will report.
        if (documents.get(uri) !== document || document.version !== version) return;
        const { parsed, count } = live.result();
        const elapsedMs = performance.now() - (document.since ?? performance.now());
        document.since = undefined;
        post({ kind: 'counted', uri, openId, version, parsed, count, elapsedMs });
      },
      (error: unknown) => post({ kind: 'failed', uri, openId, version, message: error instanceof Error ? error.message : String(error) }),
    );
  }
  dirty.clear();
}

parentPort?.on('message', handle);
