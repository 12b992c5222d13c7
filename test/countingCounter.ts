// A token counter that records how many characters it was asked to count: tests of incremental
// counting check that an edit recounts only what it touched.
import type { TokenCounter } from '../src/core/types';

/** Wraps `inner`; `counted` is the number of characters counted since the last `reset()`. */
export function countingCounter(inner: TokenCounter): { counter: TokenCounter; counted: () => number; reset: () => void } {
  let countedLength = 0;
  const counter: TokenCounter = {
    tokenizer: inner.tokenizer,
    exact: inner.exact,
    count: (text) => {
      countedLength += text.length;
      return inner.count(text);
    },
    tokenBoundaries: (text) => inner.tokenBoundaries(text),
  };
  return { counter, counted: () => countedLength, reset: () => (countedLength = 0) };
}
