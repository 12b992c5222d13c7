// The messages between the Compare Models panel and its webview, and the checks on what comes back
// from the webview or from storage after a reload: nothing from there is trusted as it is.
import {
  COMPARISON_SORT_KEYS,
  type ComparisonDisplayRow,
  type ComparisonSortKey,
  type ModelComparisonRow,
  type SortDirection,
} from '../core/count/compareModels';

/** The sort the webview shows; copies and saves follow it. */
export interface ComparisonSort {
  key: ComparisonSortKey;
  direction: SortDirection;
}

/** The one message the extension posts: everything the webview shows. */
export interface RowsMessage {
  command: 'rows';
  subject: { title: string; detail: string };
  rows: { row: Omit<ModelComparisonRow, 'sources'>; shown: ComparisonDisplayRow }[];
  notes: { output: string; sources: string[]; estimates: boolean; unknownModels: string[]; problem?: string };
  /** Persisted by the webview (`setState`) so the serializer can restore the panel after a reload. */
  state: PersistedState;
}

export interface PersistedState {
  uri?: string;
  selection?: { start: number; end: number };
  sort?: ComparisonSort;
}

export type IncomingMessage = { command: 'ready' | 'addModel' } | { command: 'copyMarkdown' | 'saveCsv'; sort?: ComparisonSort };

/** The sort a new panel starts with: cheapest worst case first. */
export const DEFAULT_SORT: ComparisonSort = { key: 'costPerCall', direction: 'ascending' };

/** Checks a message from the webview: only the known commands, with a well-formed sort. */
export function incomingMessage(raw: unknown): IncomingMessage | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const { command, sort } = raw as { command?: unknown; sort?: unknown };
  if (command === 'ready' || command === 'addModel') return { command };
  if (command !== 'copyMarkdown' && command !== 'saveCsv') return undefined;
  if (sort === undefined) return { command };
  const parsed = comparisonSort(sort);
  return parsed ? { command, sort: parsed } : undefined;
}

function comparisonSort(raw: unknown): ComparisonSort | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const { key, direction } = raw as { key?: unknown; direction?: unknown };
  const knownKey = COMPARISON_SORT_KEYS.find((candidate) => candidate === key);
  if (!knownKey || (direction !== 'ascending' && direction !== 'descending')) return undefined;
  return { key: knownKey, direction };
}

/** The webview's saved state, checked: it comes back from storage after a reload. */
export function persistedState(raw: unknown): PersistedState {
  if (!raw || typeof raw !== 'object') return {};
  const { uri, selection, sort } = raw as Record<string, unknown>;
  const state: PersistedState = {};
  if (typeof uri === 'string' && uri !== '') state.uri = uri;
  if (selection && typeof selection === 'object') {
    const { start, end } = selection as Record<string, unknown>;
    if (Number.isInteger(start) && Number.isInteger(end) && (start as number) >= 0 && (end as number) > (start as number)) {
      state.selection = { start: start as number, end: end as number };
    }
  }
  state.sort = comparisonSort(sort);
  return state;
}
