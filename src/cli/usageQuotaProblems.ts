// Usage quotas as `check` problems, from the logs a config names.
import { join } from 'node:path';
import { type BudgetConfig, type Problem, collectAgentUsage, collectUsage, quotaProblems, selectUsageFiles, usageReport } from '../core';
import { postgresLedgerUrl } from '../library/postgresLedger';
import type { CliIo } from './cliIo';
import { agentEnvironment, ledgerName, nodeUsageOpener, withPostgresLedger } from './usageLogSources';

/**
 * Quota problems for `check`: reads the logs named by the config's `usage.files` (paths relative to
 * `root`) and evaluates its quotas for the period holding `now`. Empty without quotas.
 */
export async function usageQuotaProblems(config: BudgetConfig | undefined, root: string, configFile: string, io: CliIo, now = Date.now()): Promise<Problem[]> {
  const agents = config?.usage?.agents ?? [];
  const postgres = postgresLedgerUrl(config?.usage?.ledger, io.env ?? process.env);
  if (!config?.usage || config.usage.quotas.length === 0 || (config.usage.files.length === 0 && agents.length === 0 && !postgres)) return [];
  const below = config.usage.files.length > 0 ? await io.listFiles(root).catch(() => [] as string[]) : [];
  const { files, open } = withPostgresLedger(config, selectUsageFiles(below, config.usage.files).map((path) => join(root, path)), nodeUsageOpener(io.cwd), io, undefined);
  const collected = await collectUsage(files, open);
  if (agents.length > 0) await collectAgentUsage(agents, agentEnvironment(io), io.listFiles, nodeUsageOpener(io.cwd), { ledger: collected.ledger });
  const report = usageReport(collected.ledger, { by: [], quotas: config.usage.quotas, now });
  const problems = quotaProblems(configFile, config.usage.quotas, report.quotas);
  // Quotas checked without the fleet's calls would pass when they should not: say so on `ledger`.
  const unread = collected.unreadable.find((entry) => postgres && entry.file === ledgerName(postgres));
  if (unread && config.usage.ledgerPosition) {
    problems.push({ file: configFile, ...config.usage.ledgerPosition, severity: 'warning', rule: 'usage-quota', message: `Quotas are checked without the PostgreSQL ledger ${unread.file}: ${unread.message}.` });
  }
  return problems;
}
