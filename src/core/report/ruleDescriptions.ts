/** One-line descriptions of the rules of the budgets core, for SARIF and help texts. */
export const RULE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'context-window': 'The prompt is over (error) or close to (warning) the model context window.',
  'context-with-output': 'The prompt plus its declared max output is over or close to the model context window.',
  'max-output': "The declared max output is over the model's own output limit.",
  'budget-input-tokens': "A prompt's input tokens are over or close to its budget's maxInputTokens.",
  'budget-total-tokens': "A prompt's input plus expected output tokens are over or close to its budget's maxTotalTokens.",
  'budget-cost-per-call': "One call of a prompt costs more than, or close to, its budget's maxCostPerCall.",
  'budget-monthly-cost': "A budget's prompts cost more than, or close to, its maxMonthlyCost over 30 days at callsPerDay.",
  'yaml-syntax': 'The config file is not valid YAML.',
  'unknown-key': 'The config file has a key Prompt Budget does not know (often a typo); it is ignored.',
  'invalid-type': 'A config value has the wrong type, e.g. a string where a number belongs.',
  'invalid-value': 'A config value is out of range: a negative limit, warnAt outside (0, 1], an unknown tokenizer, a bad glob.',
  'missing-key': 'A budget lacks a required key (name, files), or maxMonthlyCost lacks callsPerDay.',
  'duplicate-budget': 'Two budgets have the same name.',
  'unsupported-version': 'The config file declares a version this Prompt Budget cannot read.',
  'unknown-model': 'A model name is in neither the catalog nor the config file models.',
  'unmatched-glob': 'A glob in the config matches no file, or an exclude removes no file.',
};
