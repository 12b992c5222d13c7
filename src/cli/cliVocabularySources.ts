import { resolve } from 'node:path';
import { vocabularySourcesFromEnv, type VocabularySources } from '../core';
import type { CliIo } from './cliIo';
import type { CliOptions } from './cliOptions';

/** Where this run looks for vocabularies: `--tokenizers DIR`, PROMPT_BUDGET_TOKENIZERS, the Hugging Face cache, the user cache folder. */
export function cliVocabularySources(options: CliOptions, io: CliIo): VocabularySources {
  const folders = options.tokenizers ? [resolve(io.cwd, options.tokenizers)] : [];
  return vocabularySourcesFromEnv(io.env ?? process.env, folders, io.home);
}
