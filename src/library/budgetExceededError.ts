import type { CallRefusal } from '../core';

/** Thrown before a call that would break a budget or a quota; no request was sent. */
export class BudgetExceededError extends Error {
  override readonly name = 'BudgetExceededError';
  readonly kind: CallRefusal['kind'];
  /** The budget's or quota's name in prompt-budget.yaml. */
  readonly budget: string;
  /** The limit's key: maxInputTokens, maxCostPerCall, maxCalls, maxTokens or maxCost. */
  readonly limit: string;
  readonly limitValue: number;
  readonly used: number;
  readonly adds: number;
  readonly period?: string;

  constructor(readonly refusal: CallRefusal) {
    super(refusal.message);
    this.kind = refusal.kind;
    this.budget = refusal.name;
    this.limit = refusal.limit;
    this.limitValue = refusal.limitValue;
    this.used = refusal.used;
    this.adds = refusal.adds;
    this.period = refusal.period;
  }
}
