// Used by the count worker and by the extension host, which counts short prompts itself on opening.
import { LivePromptCount } from '../../core/count/livePromptCount';
import type { TokenCounter } from '../../core/types';

// Prose, code, Markdown, numbers, dates, CJK and emoji: one count of it compiles the pattern and the
// merge loop, so the first real document does not pay for that.
const WARM_UP_SAMPLE = [
  '# Role\n\nYou are a careful assistant. Answer in English, cite your sources, and keep it short.\n\n',
  '```ts\nexport function total(items: number[]): number {\n  return items.reduce((sum, x) => sum + x, 0);\n}\n```\n\n',
  '- 2026-12-02T10:15:00Z: 1,234.56 tokens | {{customer_name}} | 東京の天気は？ Réponds en français. 🙂\n',
].join('').repeat(40);

/**
 * Runs an opening's whole path once on a sample (the counter; a `.prompt.md` with a frontmatter,
 * sections and variables; an edit; the result), so the first prompt opened in a window finds that
 * code compiled instead of paying for it on top of its count.
 */
export function warmUpCounting(counter: TokenCounter): void {
  counter.count(WARM_UP_SAMPLE);
  const live = new LivePromptCount('warm-up.prompt.md', `---\ndescription: Warm-up\nmodel: gpt-4o\n---\n${WARM_UP_SAMPLE}`, counter);
  live.applyChanges([{ offset: 60, deletedLength: 0, text: 'x' }]);
  live.result();
}
