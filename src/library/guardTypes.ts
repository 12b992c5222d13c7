// The shapes a guarded call goes through, shared by the guard and the SDK wrappers.
import type { PlannedCall, GuardCallLine } from '../core';

/** A call about to be made. */
export interface CallRequest {
  model: string;
  /** The provider's id in the price data (openai, anthropic, google); the catalog's by default. */
  provider?: string;
  /** The provider when neither `provider` nor the catalog names one (the SDK's). */
  fallbackProvider?: string;
  /** The request body or messages, counted as they will be sent. */
  request?: unknown;
  /** Input tokens, when already known (then `request` is not counted). */
  inputTokens?: number;
  /** The request's output cap; read from `request` when it sets one, else the model's max output. */
  maxOutputTokens?: number;
  user?: string;
  tags?: string[];
}

/** Usage a provider reported for a call. */
export interface ObservedUsage {
  /** The provider's usage object (OpenAI, Anthropic, Gemini) or `{ inputTokens, outputTokens, … }`. */
  usage: unknown;
  /** The model as the provider reported it. */
  model?: string;
  provider?: string;
  /** The provider's response id. */
  id?: string;
  latencyMs?: number;
}

/** A call that passed the check: settle it with the reported usage, or release it when the call failed. */
export interface CallReservation {
  readonly id: string;
  readonly call: PlannedCall;
  settle(observed: ObservedUsage): Promise<GuardCallLine | undefined>;
  release(): Promise<void>;
}

/** What the SDK wrappers need of a guard. */
export interface CallGuard {
  reserve(request: CallRequest): Promise<CallReservation>;
}
