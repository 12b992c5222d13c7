// The bounds of a usage period (`--since`, `--until`), read as strictly as the records' own times.
import { escapeTerminalText } from '../report/escapeTerminalText';
import { EARLIEST_RECORD_TIME, LATEST_RECORD_TIME, parseIsoTime } from './usageValues';

const DAY_MS = 86_400_000;

/**
 * Epoch ms of a YYYY-MM-DD date or an ISO 8601 time (UTC unless it names a zone); a bare end date
 * includes that whole day. A message saying what was rejected when the text is no real date.
 */
export function parseUsageDate(text: string, endOfDay: boolean): number | string {
  const trimmed = text.trim();
  const time = parseIsoTime(trimmed);
  const shown = `'${escapeTerminalText(text.slice(0, 40))}'${text.length > 40 ? '…' : ''}`;
  if (Number.isNaN(time)) return `${shown} is not a date: write YYYY-MM-DD or an ISO 8601 time (2026-11-03T10:00:00Z), with a day that exists.`;
  if (time < EARLIEST_RECORD_TIME || time > LATEST_RECORD_TIME) return `${shown} is outside the years 2000 to 2100 that usage records may carry.`;
  return endOfDay && /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? time + DAY_MS : time;
}
