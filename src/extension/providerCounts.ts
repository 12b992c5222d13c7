// "Prompt Budget: Count with Provider API", its opt-in on save, and the stored API keys. A prompt
// is sent to its provider only on that command or, with `promptBudget.countWithApi.onSave`, on save:
// never while typing. The status bar shows the provider's count while the text is the one counted.
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { evaluateCountedPrompt } from '../core/count/analyzePrompt';
import { formatTokens } from '../core/report/formatNumbers';
import { parsePrompt } from '../core/prompts/parsePrompt';
import { applyProviderCount } from '../core/providerCounts/applyProviderCount';
import { COUNTING_PROVIDERS, type CountingProviderId } from '../core/providerCounts/countingProviders';
import { ProviderCounter, type ProviderCountResult, type ProviderFetch } from '../core/providerCounts/providerCounter';
import type { PromptCount, ProviderCountSource } from '../core/types';
import { COMMAND } from './commandIds';
import { log, registerCommand } from './log';
import type { DocumentAnalysis, PromptDocuments } from './promptDocuments';
import { readSettings } from './settings';

const SECRET_PREFIX = 'promptBudget.apiKey.';
const ANALYSIS_WAIT_MS = 15_000;

/** A provider's count of one document, with the text (by hash) and model it was made for. */
interface KnownCount {
  version: number;
  length: number;
  textHash: string;
  modelId: string;
  count: PromptCount;
  /** The last other version compared by hash, so each version is hashed once at most. */
  checkedVersion?: number;
}

/** Registers the commands and the on-save opt-in; the status bar reads `analysisFor`. */
export function registerProviderCounts(context: vscode.ExtensionContext, documents: PromptDocuments): ProviderCounts {
  const counts = new ProviderCounts(context.secrets, documents);
  context.subscriptions.push(
    counts,
    registerCommand(COMMAND.countWithProviderApi, () => counts.countActiveEditor()),
    registerCommand(COMMAND.storeProviderApiKey, (provider?: CountingProviderId) => storeApiKey(context.secrets, provider)),
  );
  return counts;
}

export class ProviderCounts implements vscode.Disposable {
  private readonly counter: ProviderCounter;
  private readonly known = new Map<string, KnownCount>();
  private readonly warned = new Set<string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** Fires when a provider's count of a document arrives. */
  readonly onDidChange = this.changed.event;

  constructor(
    secrets: vscode.SecretStorage,
    private readonly documents: PromptDocuments,
  ) {
    this.counter = new ProviderCounter({
      fetch: fetch as unknown as ProviderFetch,
      // Read at each request: the extension host's environment, as VS Code was started.
      env: process.env,
      storedKey: (provider) => Promise.resolve(secrets.get(SECRET_PREFIX + provider)),
      sha256,
      keyHint: (provider) => `set ${provider.keyVariables.join(' or ')} before starting VS Code, or run "Prompt Budget: Store Provider API Key"`,
    });
    this.disposables.push(
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (readSettings(document.uri).countWithApiOnSave && this.documents.track(document)) void this.countOnSave(document);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.known.delete(document.uri.toString())),
    );
  }

  /** HTTP requests sent so far (cache hits send none): a figure for tests. */
  get requestCount(): number {
    return this.counter.requestCount;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  /**
   * The analysis with the provider's count in place of ours, when the provider counted this very
   * text for this model; otherwise `analysis` itself.
   */
  analysisFor(document: vscode.TextDocument, analysis: DocumentAnalysis): DocumentAnalysis {
    const count = this.countFor(document, analysis);
    if (!count) return analysis;
    return { ...analysis, ...evaluateCountedPrompt(analysis.file, analysis.parsed, analysis.resolved, count, analysis.context) };
  }

  /** The command: counts the active prompt with its provider's API and says what happened. */
  async countActiveEditor(): Promise<ProviderCountResult> {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || !this.documents.track(document)) {
      void vscode.window.showWarningMessage('Prompt Budget: open a prompt file to count it with its provider\'s API.');
      return { kind: 'unavailable', reason: 'no prompt file is active' };
    }
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Counting with the provider\'s API…' },
      () => this.countDocument(document),
    );
    if (result.kind === 'counted') {
      void vscode.window.showInformationMessage(`Prompt Budget: ${result.exact ? '' : '≈'}${formatTokens(result.tokens)} tokens, ${describeProviderCount(result.source)}.`);
    } else if (result.kind === 'unavailable') {
      const provider = missingKeyProvider(result.reason);
      const store = 'Store API Key';
      void vscode.window.showWarningMessage(`Prompt Budget: not counted by the provider: ${result.reason}.`, ...(provider ? [store] : [])).then((choice) => {
        if (choice === store) void vscode.commands.executeCommand(COMMAND.storeProviderApiKey, provider);
      });
    } else {
      void vscode.window.showErrorMessage(`Prompt Budget: ${result.message}`);
    }
    return result;
  }

  private async countOnSave(document: vscode.TextDocument): Promise<void> {
    const result = await this.countDocument(document);
    if (result.kind === 'counted') return;
    const message = result.kind === 'unavailable' ? `Not counted by the provider on save: ${result.reason}` : result.message;
    log().warn(message);
    // The opt-in runs on every save: say each reason once, not at every save.
    if (result.kind === 'failed' || this.warned.has(message)) return;
    this.warned.add(message);
    void vscode.window.showWarningMessage(`Prompt Budget: ${message}.`);
  }

  private async countDocument(document: vscode.TextDocument): Promise<ProviderCountResult> {
    const analysis = await this.currentAnalysis(document);
    if (!analysis) return { kind: 'failed', message: 'the prompt was not counted in time; try again' };
    const model = analysis.resolved.model;
    if (!model) return { kind: 'unavailable', reason: analysis.resolved.unknownMessage ?? `unknown model '${analysis.resolved.name}'` };
    const text = document.getText();
    // The document's own text: analyses carry segment positions, not their text.
    const parsed = parsePrompt(document.fileName, text, analysis.format);
    const result = await this.counter.count(parsed, model, analysis.count);
    if (result.kind === 'counted') {
      log().info(`${document.uri.toString(true)}: ${result.tokens} tokens on ${model.id} from ${result.source.url}`);
      this.known.set(document.uri.toString(), {
        version: analysis.version,
        length: text.length,
        textHash: sha256(text),
        modelId: model.id,
        count: applyProviderCount(analysis.count, result),
      });
      this.changed.fire(document.uri);
    }
    return result;
  }

  private countFor(document: vscode.TextDocument, analysis: DocumentAnalysis): PromptCount | undefined {
    const known = this.known.get(document.uri.toString());
    if (!known || known.modelId !== analysis.resolved.model?.id) return undefined;
    if (known.version === document.version) return known.count;
    // An undo or a revert can bring the counted text back: compared by hash, once per version, and
    // only when the length matches (cheap) so typing does not hash the document.
    if (known.checkedVersion === document.version || documentLength(document) !== known.length) return undefined;
    known.checkedVersion = document.version;
    if (sha256(document.getText()) !== known.textHash) return undefined;
    known.version = document.version;
    return known.count;
  }

  /** The analysis of the document's current version, waiting for the worker if it is on its way. */
  private currentAnalysis(document: vscode.TextDocument): Promise<DocumentAnalysis | undefined> {
    const now = this.documents.get(document.uri);
    if (now && now.version === document.version) return Promise.resolve(now);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        listener.dispose();
        resolve(undefined);
      }, ANALYSIS_WAIT_MS);
      const listener = this.documents.onDidAnalyze((analysis) => {
        if (analysis.uri.toString() !== document.uri.toString() || analysis.version !== document.version) return;
        clearTimeout(timer);
        listener.dispose();
        resolve(analysis);
      });
    });
  }
}

/** "exact from Anthropic's count_tokens API at 10:41 (our count ≈4,100)", for messages and the tooltip. */
export function describeProviderCount(source: ProviderCountSource): string {
  const time = new Date(source.countedAt).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const how = source.framing === 'included' ? 'exact' : 'text exact, chat framing estimated,';
  return `${how} from ${source.endpoint} at ${time} (our count ${source.localExact ? '' : '≈'}${formatTokens(source.localTokens)})`;
}

/** Asks for a provider's key and keeps it in VS Code's secret storage; an empty entry removes it. */
async function storeApiKey(secrets: vscode.SecretStorage, providerId?: CountingProviderId): Promise<void> {
  let provider = providerId ? COUNTING_PROVIDERS[providerId] : undefined;
  if (!provider) {
    const picked = await vscode.window.showQuickPick(
      Object.values(COUNTING_PROVIDERS).map((candidate) => ({ label: candidate.name, description: candidate.endpointLabel, provider: candidate })),
      { title: 'Store Provider API Key', placeHolder: 'The provider whose token-counting API to use' },
    );
    provider = picked?.provider;
  }
  if (!provider) return;
  const key = await vscode.window.showInputBox({
    title: `${provider.name} API key`,
    prompt: `Kept in VS Code's secret storage and sent only to ${provider.name} when you count with its API. ${provider.keyVariables.join(' or ')} in the environment wins over it. Leave empty to remove the stored key.`,
    password: true,
    ignoreFocusOut: true,
  });
  if (key === undefined) return;
  if (key.trim() === '') {
    await secrets.delete(SECRET_PREFIX + provider.id);
    void vscode.window.showInformationMessage(`Prompt Budget: removed the stored ${provider.name} API key.`);
    return;
  }
  await secrets.store(SECRET_PREFIX + provider.id, key.trim());
  void vscode.window.showInformationMessage(`Prompt Budget: stored the ${provider.name} API key.`);
}

/** The provider a "no … API key" reason is about, so the message can offer to store one. */
function missingKeyProvider(reason: string): CountingProviderId | undefined {
  return Object.values(COUNTING_PROVIDERS).find((provider) => reason.startsWith(`no ${provider.name} API key`))?.id;
}

/** The text's length without copying it out of the document. */
function documentLength(document: vscode.TextDocument): number {
  return document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
