import * as vscode from 'vscode';
import { DEFAULT_WARN_AT } from '../core/config/budgetConfig';
import { DEFAULT_PRICES_URL } from '../core/catalog/priceData';
import { DEFAULT_MODEL } from '../core/count/resolvePromptSettings';
import type { ModelOverride, TokenizerId } from '../core/types';
import { isAgentId, type AgentId } from '../core/usage/agents/agentIds';

/** A typed, read-only snapshot of the `promptBudget.*` settings; mirrors package.json. */
export interface Settings {
  readonly defaultModel: string;
  readonly expectedOutputTokens: number | undefined;
  readonly warnAt: number;
  readonly inlineCounts: boolean;
  readonly files: readonly string[];
  readonly models: readonly ModelOverride[];
  readonly compareModels: readonly string[];
  /** Application-scoped: the same in every folder. */
  readonly prices: { readonly autoUpdate: boolean; readonly url: string };
  /** Application-scoped opt-in: count a saved prompt with its provider's API. */
  readonly countWithApiOnSave: boolean;
  /** Application-scoped: coding agents whose usage files (outside the workspace) are read; none by default. */
  readonly usageAgents: readonly AgentId[];
  /** Application-scoped: the status bar item with today's agent spend. */
  readonly agentsStatusBar: boolean;
  /** Machine-scoped: a folder of vocabulary files, and whether fetched vocabularies are downloaded (ask, always, never). */
  readonly tokenizers: { readonly folder: string; readonly download: TokenizerDownload };
}

/** `promptBudget.tokenizers.download`: ask once per family and remember the answer, always download, never. */
export type TokenizerDownload = 'ask' | 'always' | 'never';

export const SETTINGS_SECTION = 'promptBudget';

const TOKENIZERS: readonly TokenizerId[] = ['o200k_base', 'cl100k_base', 'llama3', 'qwen3', 'deepseek_v3', 'tekken', 'gemma3', 'estimate', 'estimate-gemini', 'estimate-claude', 'estimate-claude-4.7', 'kimi_k2', 'glm45', 'qwen35', 'deepseek_v4', 'gemma4'];

// Snapshots by workspace folder (the settings are resource-scoped: folders may differ), so a
// keystroke reads none: dropped when `promptBudget.*` or the folders change. Module state, like the
// log, because every surface reads settings; registerSettings owns its lifetime.
const snapshots = new Map<string, Settings>();
let caching = false;
let reads = 0;
const changed = new vscode.EventEmitter<vscode.ConfigurationChangeEvent>();

/** Fires after `promptBudget.*` changed and the snapshots were dropped: read them again from here. */
export const onDidChangeSettings = changed.event;

/** Starts keeping snapshots; call first in activate, so no listener reads a stale one. */
export function registerSettings(context: vscode.ExtensionContext): void {
  caching = true;
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(SETTINGS_SECTION)) return;
      snapshots.clear();
      changed.fire(event);
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => snapshots.clear()),
    {
      dispose: () => {
        caching = false;
        snapshots.clear();
      },
    },
  );
}

/** How many times the settings were read from VS Code since activation (a figure for tests). */
export function settingsReadCount(): number {
  return reads;
}

/** The settings for a resource (multi-root folders may differ), as a read-only snapshot. */
export function readSettings(scope?: vscode.Uri): Settings {
  const folder = scope && vscode.workspace.getWorkspaceFolder(scope);
  // Outside every folder, a resource reads the workspace's and the user's settings, as no resource does.
  const key = folder ? folder.uri.toString() : '';
  let settings = snapshots.get(key);
  if (!settings) {
    settings = readFromConfiguration(folder?.uri);
    if (caching) snapshots.set(key, settings);
  }
  return settings;
}

function readFromConfiguration(scope?: vscode.Uri): Settings {
  reads++;
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  // Users can write any JSON into settings.json: every value is checked, and a wrong one falls
  // back to its default instead of breaking the extension.
  const expected = config.get<unknown>('expectedOutputTokens');
  const warnAt = config.get<unknown>('warnAt');
  const defaultModel = config.get<unknown>('defaultModel');
  const inlineCounts = config.get<unknown>('inlineCounts.enabled');
  const models = config.get<unknown>('models');
  const pricesUrl = config.get<unknown>('prices.url');
  const tokenizersFolder = config.get<unknown>('tokenizers.folder');
  const tokenizersDownload = config.get<unknown>('tokenizers.download');
  return {
    defaultModel: typeof defaultModel === 'string' && defaultModel.trim() !== '' ? defaultModel.trim() : DEFAULT_MODEL,
    expectedOutputTokens: typeof expected === 'number' && Number.isFinite(expected) && expected >= 0 ? expected : undefined,
    warnAt: typeof warnAt === 'number' && warnAt > 0 && warnAt <= 1 ? warnAt : DEFAULT_WARN_AT,
    inlineCounts: typeof inlineCounts === 'boolean' ? inlineCounts : true,
    files: stringList(config.get<unknown>('files')),
    models: models && typeof models === 'object' && !Array.isArray(models) ? modelOverrides(models as Record<string, unknown>) : [],
    compareModels: stringList(config.get<unknown>('compareModels')).map((id) => id.trim()),
    prices: { autoUpdate: config.get<unknown>('prices.autoUpdate') === true, url: typeof pricesUrl === 'string' && pricesUrl.trim() !== '' ? pricesUrl.trim() : DEFAULT_PRICES_URL },
    countWithApiOnSave: config.get<unknown>('countWithApi.onSave') === true,
    usageAgents: [...new Set(stringList(config.get<unknown>('usage.agents')).filter(isAgentId))],
    agentsStatusBar: config.get<unknown>('usage.agentsStatusBar') === true,
    tokenizers: {
      folder: typeof tokenizersFolder === 'string' ? tokenizersFolder.trim() : '',
      download: tokenizersDownload === 'always' || tokenizersDownload === 'never' ? tokenizersDownload : 'ask',
    },
  };
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.trim() !== '') : [];
}

/** `promptBudget.models` is an object keyed by model id; bad entries are skipped, not fatal. */
function modelOverrides(raw: Record<string, unknown>): ModelOverride[] {
  const overrides: ModelOverride[] = [];
  for (const [id, value] of Object.entries(raw ?? {})) {
    if (!value || typeof value !== 'object') continue;
    const entry = value as Record<string, unknown>;
    const number = (key: string) => (typeof entry[key] === 'number' && (entry[key] as number) >= 0 ? (entry[key] as number) : undefined);
    const tokenizer = TOKENIZERS.find((candidate) => candidate === entry.tokenizer);
    overrides.push({
      id,
      name: typeof entry.name === 'string' ? entry.name : undefined,
      provider: typeof entry.provider === 'string' ? entry.provider : undefined,
      aliases: Array.isArray(entry.aliases) ? entry.aliases.filter((alias): alias is string => typeof alias === 'string') : undefined,
      contextWindow: number('contextWindow'),
      maxInputTokens: number('maxInputTokens'),
      maxOutputTokens: number('maxOutputTokens'),
      inputPerMillion: number('inputPerMillion'),
      outputPerMillion: number('outputPerMillion'),
      cachedInputPerMillion: number('cachedInputPerMillion'),
      tokenizer,
    });
  }
  return overrides;
}
