import * as assert from 'node:assert/strict';
import type { PromptBudgetApi } from '../../src/extension/extension';
import { closeAllEditors, extensionApi, openPrompt, statusText, statusTooltip, waitFor } from './editorTestSupport';

describe('Gemini 2.x in the editor', () => {
  let api: PromptBudgetApi;

  before(async () => {
    api = await extensionApi();
  });
  after(async () => {
    await closeAllEditors();
  });

  it("counts a Gemini 2.5 prompt exactly with Gemma 3's vocabulary, offline, and the tooltip says which", async () => {
    await openPrompt(api, 'gemini.prompt.md');
    // 38 tokens: Hugging Face's reference tokenizer (@huggingface/tokenizers 0.2.0) on Gemma 3's tokenizer.json.
    const text = await waitFor('a Gemini status', () => / · gemini-2\.5-flash$/.test(statusText(api)) && statusText(api));
    assert.ok(text.startsWith('$(symbol-numeric) 38 tok · '), text);
    assert.match(statusTooltip(api), /Tokens: \*\*38\*\* \(exact, Gemma 3 \(Google's tokenizer\.json, as in unsloth\/gemma-3-27b-it@7a5a3053\)\)/);
  });
});
