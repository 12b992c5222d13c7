/** The usage ledger's commands; package.json's `contributes.commands` lists the same ids. */
export const USAGE_COMMAND = {
  openUsageDashboard: 'promptBudget.openUsageDashboard',
  refreshUsage: 'promptBudget.refreshUsage',
  exportUsageCsv: 'promptBudget.exportUsageCsv',
} as const;
