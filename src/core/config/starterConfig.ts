export interface StarterConfigOptions {
  /** The model most prompts are sent to; gpt-4o-mini unless given. */
  defaultModel?: string;
  /** Globs of the workspace's prompt files, e.g. found by a scan; `prompts/**\/*.md` unless given. */
  files?: string[];
}

/** The text of a commented starter prompt-budget.yaml that parses without problems. */
export function starterConfig(options: StarterConfigOptions = {}): string {
  // JSON strings are valid YAML double-quoted scalars, so any model id or glob is written safely.
  const model = JSON.stringify(options.defaultModel ?? 'gpt-4o-mini');
  const files = (options.files && options.files.length > 0 ? options.files : ['prompts/**/*.md']).map((glob) => JSON.stringify(glob)).join(', ');
  return `# Prompt Budget: token and cost limits for the prompt files in this folder.
# Globs are relative to this file's folder. Every key is described in Prompt Budget's docs/configuration.md.
version: 1

# The model for prompts that declare none (in frontmatter) and belong to no budget with a model.
defaultModel: ${model}

# Warn when a prompt reaches this fraction of any limit (0.8 = 80%).
warnAt: 0.8

# Add models the catalog does not know, or override its figures (USD per million tokens).
# models:
#   local-llama:
#     contextWindow: 8192
#     maxOutputTokens: 2048
#     inputPerMillion: 0
#     outputPerMillion: 0
#     tokenizer: cl100k_base   # o200k_base, cl100k_base, llama3, qwen3, deepseek_v3, tekken, gemma3, estimate…

budgets:
  - name: All prompts
    files: [${files}]
    # exclude: ["prompts/drafts/**"]
    maxInputTokens: 8000         # tokens sent per call, per prompt file
    expectedOutputTokens: 500    # output assumed per call, for cost
    maxCostPerCall: 0.05         # USD per call, input and expected output
    # callsPerDay: 1000          # calls of each prompt a day
    # maxMonthlyCost: 100        # USD for 30 days of all prompts in this budget
`;
}
