// The core's public surface: the CLI and the library (the `prompt-budget` package, src/library/index.ts)
// reach the core only through this file. Plain TypeScript, no `vscode`; I/O is passed in. Grouped by
// the stages data flows through: read -> parse -> count -> check -> report, then usage and prices.

// Shared shapes: problems, models, prices, positions.
export * from './types';

// Read: bounded file reads and text decoding.
export * from './io/decodePromptText';
export * from './io/readError';
export * from './io/readRegularFile';
export * from './io/regularFileChunks';

// Parse: prompt files and prompt-budget.yaml.
export * from './prompts/detectPromptFormat';
export * from './prompts/parsePrompt';
export * from './prompts/countPrompt';
export * from './prompts/textPosition';
export * from './config/budgetConfig';
export * from './config/findConfigFile';
export * from './config/findNearestConfigFolder';
export * from './config/nearestConfigFolder';
export * from './config/parseBudgetConfig';
export * from './config/readBudgetConfig';
export * from './config/starterConfig';

// Models and prices.
export * from './catalog/modelCatalog';
export * from './catalog/catalogWithOverrides';
export * from './catalog/compareDefaults';
export * from './catalog/cost';
export * from './catalog/activePriceData';
export * from './catalog/priceData';
export * from './catalog/downloadPriceCache';
export * from './catalog/tokenizerForModel';

// Count: tokens, one prompt under its model and limits, comparing models.
export * from './tokenize/tokenCounter';
export * from './tokenize/estimateProfiles';
export * from './tokenize/vocabularies';
export * from './tokenize/sources/pinnedVocabularies';
export * from './tokenize/sources/vocabularyFiles';
export * from './tokenize/sources/downloadVocabulary';
export * from './tokenize/sources/customTokenizerFiles';
export * from './tokenize/customVocabularies';
export * from './count/analyzePrompt';
export * from './count/resolvePromptSettings';
export * from './count/compareModels';
export * from './count/comparisonTable';
export * from './requests/requestLimits';
export * from './requests/requestMessages';
export * from './providerCounts/applyProviderCount';
export * from './providerCounts/providerCounter';

// Check: budgets, limits and mismatches for a file, a folder, a workspace; a guarded call.
export * from './check/checkUnderFolder';
export * from './check/evaluateBudget';
export * from './check/matchBudgets';
export * from './check/checkFolder';
export * from './check/checkWorkspace';
export * from './check/fileBudgetFindings';
export * from './check/modelMismatch';
export * from './guard/checkCall';

// Report: numbers and wording, CSV / JSON / Markdown / SARIF.
export * from './report/formatNumbers';
export * from './report/describeModelSource';
export * from './report/escapeTerminalText';
export * from './report/renderReport';
export * from './report/toCsv';
export * from './report/toMarkdownTable';
export * from './report/toSarif';

// Usage: logs and agents' sessions, priced, grouped, held to quotas.
export * from './usage/usageRecord';
export * from './usage/usageLedger';
export * from './usage/recognizeUsage';
export * from './usage/priceUsage';
export * from './usage/collectUsage';
export * from './usage/selectUsageFiles';
export * from './usage/parseUsageDate';
export * from './usage/summarizeUsage';
export * from './usage/usageReport';
export * from './usage/evaluateQuotas';
export * from './usage/quotaProblems';
export * from './usage/formatUsage';
export * from './usage/guardLedgerLine';
export * from './usage/agents/agentIds';
export * from './usage/agents/collectAgentUsage';
export * from './usage/agents/usageBlocks';

// The same checks on two revisions.
export * from './promptDiff/snapshotCheck';
export * from './promptDiff/diffPromptChecks';
export * from './promptDiff/diffWording';
export * from './promptDiff/ledgerCallsPerDay';
export * from './promptDiff/promptDiffAnnotations';
export * from './promptDiff/promptDiffMarkdown';
