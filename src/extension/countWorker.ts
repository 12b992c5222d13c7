// The count worker: tokenizer ranks load here and every count runs here, so typing in a
// 4 MB prompt never blocks the extension host. No `vscode` import.
import { parentPort } from 'node:worker_threads';
import { LivePromptCount } from '../core/livePromptCount';
import { countPrompt } from '../core/prompts/countPrompt';
import { parsePrompt } from '../core/prompts/parsePrompt';
import { loadTokenCounter } from '../core/tokenize/tokenCounter';
import type { PromptCount, TokenizerId } from '../core/types';
import type { CountRequest, CountResponse } from './countProtocol';

interface OpenDocument {
  live: Promise<LivePromptCount>;
  version: number;
}

const documents = new Map<string, OpenDocument>();
const dirty = new Set<string>();
let flushScheduled = false;

function post(response: CountResponse): void {
  parentPort?.postMessage(response);
}

function handle(request: CountRequest): void {
  switch (request.kind) {
    case 'open': {
      const live = loadTokenCounter(request.tokenizer).then((counter) => new LivePromptCount(request.fileName, request.text, counter));
      documents.set(request.uri, { live, version: request.version });
      markDirty(request.uri);
      return;
    }
    case 'change': {
      const document = documents.get(request.uri);
      if (!document) return;
      document.version = request.version;
      document.live = document.live.then((live) => {
        live.applyChanges(request.changes);
        return live;
      });
      markDirty(request.uri);
      return;
    }
    case 'tokenizer': {
      const document = documents.get(request.uri);
      if (!document) return;
      document.version = request.version;
      document.live = Promise.all([document.live, loadTokenCounter(request.tokenizer)]).then(([live, counter]) => {
        live.setCounter(counter);
        return live;
      });
      markDirty(request.uri);
      return;
    }
    case 'close':
      documents.delete(request.uri);
      dirty.delete(request.uri);
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
  }
}

async function countText(fileName: string, text: string, tokenizers: TokenizerId[]) {
  const parsed = parsePrompt(fileName, text);
  const byTokenizer: Partial<Record<TokenizerId, PromptCount>> = {};
  for (const tokenizer of new Set(tokenizers)) byTokenizer[tokenizer] = countPrompt(parsed, await loadTokenCounter(tokenizer));
  return { parsed, byTokenizer };
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
    const version = document.version;
    const started = performance.now();
    document.live.then(
      (live) => {
        // A newer edit has arrived since: its own flush will report.
        if (documents.get(uri) !== document || document.version !== version) return;
        const { parsed, count } = live.result();
        post({ kind: 'counted', uri, version, parsed, count, elapsedMs: performance.now() - started });
      },
      (error: unknown) => post({ kind: 'failed', uri, version, message: error instanceof Error ? error.message : String(error) }),
    );
  }
  dirty.clear();
}

parentPort?.on('message', handle);
