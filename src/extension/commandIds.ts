/** Every command the extension contributes; package.json's `contributes.commands` lists the same ids. */
export const COMMAND = {
  selectModel: 'promptBudget.selectModel',
  compareModels: 'promptBudget.compareModels',
  showTokenBoundaries: 'promptBudget.showTokenBoundaries',
  hideTokenBoundaries: 'promptBudget.hideTokenBoundaries',
  toggleInlineCounts: 'promptBudget.toggleInlineCounts',
  useModel: 'promptBudget.useModel',
  createConfig: 'promptBudget.createConfig',
  openConfig: 'promptBudget.openConfig',
  refreshBudgets: 'promptBudget.refreshBudgets',
  exportReport: 'promptBudget.exportReport',
  showLog: 'promptBudget.showLog',
  updatePrices: 'promptBudget.updatePrices',
  openUsageDashboard: 'promptBudget.openUsageDashboard',
  refreshUsage: 'promptBudget.refreshUsage',
  exportUsageCsv: 'promptBudget.exportUsageCsv',
  compareWithHead: 'promptBudget.compareWithHead',
} as const;
