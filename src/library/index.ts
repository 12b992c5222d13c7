// The prompt-budget library: the editor's counting and pricing engine, and a guard that holds an
// application's LLM calls to the budgets and quotas of prompt-budget.yaml. Never loads `vscode`.
export { countTokens, resolveModel, type CountOptions, type TokenCount } from './countTokens';
export { estimateCost, tokenCountsOf, type CostEstimate, type EstimateOptions, type TokenCounts } from './estimateCost';
// From the core's public surface (src/core/index.ts): the catalog, and the shapes the guard's results carry.
export { ModelCatalog, type ModelResolution } from '../core';
export type { ModelInfo, ModelPricing, TokenizerId, SourceNote, CallRefusal, PlannedCall, GuardCallLine, QuotaStatus, BudgetConfig } from '../core';
export { createGuard, Guard, type GuardEvents, type GuardOptions, type GuardSummary } from './guard';
export type { CallRequest, CallReservation, ObservedUsage } from './guardTypes';
export type { GuardMiddleware } from './aiSdkMiddleware';
export { TAGS_HEADER, USER_HEADER } from './callOptions';
export { BudgetExceededError } from './budgetExceededError';
export { MemoryLedger, type CallLedger } from './callLedger';
export { JsonlLedger } from './jsonlLedger';
export { PostgresLedger, postgresLedgerLines } from './postgresLedger';
