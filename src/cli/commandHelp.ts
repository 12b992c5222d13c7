// `prompt-budget COMMAND --help`: each command's own usage, options and exit codes.

const PRICES_OPTION = '  --prices FILE        price data to use for this run (genai-prices data.json, or a saved update)';

/** The help text of each command, by name. */
export const COMMAND_HELP: Readonly<Record<string, string>> = {
  count: `Usage: prompt-budget count FILE... [--model ID] [--config FILE] [--json] [--count-with-api]

Tokens and cost of each prompt file: input, expected per call and worst case, and the share
of the model's context window the input uses.

Options:
  --model ID           model for files that name none themselves and are in no budget with a
                       model (the file's model, then its budget's, win)
  --config FILE        the prompt-budget.yaml to use (default: the nearest above each file)
  --json               one object per file
  --count-with-api     count with the provider's API where it has one and its key is set
                       (ANTHROPIC_API_KEY, GEMINI_API_KEY/GOOGLE_API_KEY, XAI_API_KEY): sends
                       the prompt to the provider; the count is then exact, from the provider
${PRICES_OPTION}

Exit codes: 0 counted, 2 bad usage, a bad config or an unreadable or malformed file.`,

  compare: `Usage: prompt-budget compare FILE [--models ID,ID,...] [--all] [--json] [--count-with-api]

The same prompt across models, cheapest first: what Compare Models shows in the editor.
By default the editor's set: one or two current models of each major provider.

Options:
  --models ID,ID,...   these models instead (an id, provider/model or display name each);
                       one that is unknown or ambiguous is reported and the rest compared
  --all                every model in the catalog that answers (over a thousand)
  --model ID           model for files that name none themselves and are in no budget with a
                       model (the file's model, then its budget's, win)
  --config FILE        the prompt-budget.yaml to use (default: the nearest above the file)
  --json               the rows as JSON
  --count-with-api     count with the provider's API where it has one and its key is set
                       (ANTHROPIC_API_KEY, GEMINI_API_KEY/GOOGLE_API_KEY, XAI_API_KEY): sends
                       the prompt to the provider; the count is then exact, from the provider
${PRICES_OPTION}

Tables fit the terminal (COLUMNS, else 100 when piped); columns that do not fit are named.
Exit codes: 0 compared, 2 bad usage, an unknown model or an unreadable file.`,

  models: `Usage: prompt-budget models [SEARCH] [--provider NAME] [--current] [--json]

The model catalog: context window, max input and output, prices, tokenizer, and where each
figure comes from, with its date.

Options:
  SEARCH               only models whose id, name or alias contains this (any case)
  --provider NAME      only this provider's listings (openai, anthropic, google, x-ai, …)
  --current            leave out models the price data marks as deprecated
  --config FILE        the prompt-budget.yaml whose models: are listed too (default: the current folder's)
  --json               every field, limits with source and date
${PRICES_OPTION}

Tables fit the terminal (COLUMNS, else 100 when piped); columns that do not fit are named.`,

  prices: `Usage: prompt-budget prices [update [--url URL]] [--json]

Which price data is in use, its date and age. 'update' downloads newer data, checks it and
caches it for later runs; on any failure the prices in use stay.

Options:
  --url URL            where to download from (default: the data @pydantic/genai-prices
                       publishes, or $PROMPT_BUDGET_PRICES_URL)
  --json               the summary as JSON
${PRICES_OPTION}`,

  check: `Usage: prompt-budget check [DIR] [--config FILE] [--format text|json|sarif] [--count-with-api]

Checks every prompt file under DIR (default .) against its model's limits and its budget in
prompt-budget.yaml: the nearest prompt-budget.yaml above each file governs it. Usage quotas
in the config are checked too.

Options:
  --model ID           model for files that name none themselves and are in no budget with a
                       model (the file's model, then its budget's, win)
  --config FILE        one prompt-budget.yaml for every file
  --format FORMAT      text (default), json, or sarif (SARIF 2.1.0 for code scanning)
  --json               the same as --format json
  --count-with-api     count with the provider's API where it has one and its key is set
                       (ANTHROPIC_API_KEY, GEMINI_API_KEY/GOOGLE_API_KEY, XAI_API_KEY): sends
                       the prompt to the provider; the count is then exact, from the provider
${PRICES_OPTION}

Exit codes: 0 ok, 1 something over a limit, 2 bad usage, a bad config or an unreadable file.`,

  report: `Usage: prompt-budget report [DIR] [--config FILE] [--format md|csv|json] [--count-with-api]

Tokens, cost per call, monthly cost, limits and status per budget and per file.

Options:
  --model ID           model for files that name none themselves and are in no budget with a
                       model (the file's model, then its budget's, win)
  --config FILE        the prompt-budget.yaml to use (default: DIR's)
  --format FORMAT      md (default), csv or json
  --json               the same as --format json
  --count-with-api     count with the provider's API where it has one and its key is set
                       (ANTHROPIC_API_KEY, GEMINI_API_KEY/GOOGLE_API_KEY, XAI_API_KEY): sends
                       the prompt to the provider; the count is then exact, from the provider
${PRICES_OPTION}

Exit codes: 0 reported (being over is not a failure here; that is 'check'), 2 bad usage or config.`,

  usage: `Usage: prompt-budget usage [PATH...] [--agents] [--by KEY[,KEY...]] [--since DATE] [--until DATE]
                           [--config FILE] [--format table|md|csv|json]

Actual calls, tokens and cost from usage logs (the files and folders named, else the config's
usage.files), grouped, and the config's quotas for the current period.

Options:
  --agents             also read the coding agents' own usage files (Claude Code, Codex, Gemini
                       CLI) where they keep them ($CLAUDE_CONFIG_DIR, $CODEX_HOME, else home)
  --by KEYS            day (default), week, month, model (dated snapshots under their model),
                       snapshot (each dated snapshot apart), provider, user, tag, budget, agent,
                       project, session, block (5-hour billing windows); comma-separated
  --since DATE         from this day (YYYY-MM-DD) or ISO time
  --until DATE         up to and including this day; quotas are for the period holding it
  --config FILE        the prompt-budget.yaml to use (default: the current folder's)
  --format FORMAT      table (default), md (the table only), csv or json
  --json               the same as --format json
${PRICES_OPTION}

Exit codes: 0 ok, 1 a quota is over, 2 bad usage or nothing could be read.`,

  diff: `Usage: prompt-budget diff [DIR] [--base REV] [--head REV] [--config FILE] [--format text|json|md|github]

What a change does to prompt files: tokens, cost per call and monthly cost before and after,
per file and per budget, each revision checked under its own prompt-budget.yaml.

Options:
  --base REV           the revision to compare from (default HEAD)
  --head REV           the revision to compare to (default: the working tree)
  --model ID           model for files that name none themselves and are in no budget with a
                       model (the file's model, then its budget's, win)
  --config FILE        the prompt-budget.yaml to use in both revisions
  --format FORMAT      text (default), json, md (a pull-request comment) or github (annotations)
  --json               the same as --format json
${PRICES_OPTION}

Exit codes: 0 ok, 1 the change newly breaks a limit, 2 bad usage, not a git repository or an
unknown revision.`,

  tokenizers: `Usage: prompt-budget tokenizers [list] [--json] [--tokenizers DIR]
       prompt-budget tokenizers pull [FAMILY...] [--tokenizers DIR]

Vocabularies beyond the shipped ones (Kimi K2, GLM-4.5, Qwen 3.5, DeepSeek V4, Gemma 4) count exactly
once a verified copy is on this machine, and as an estimate (≈) until then. list shows each
vocabulary, its tier and where its file is; pull downloads the pinned files (every missing one by
default) from Hugging Face (HF_ENDPOINT for a mirror; nothing with HF_HUB_OFFLINE=1), checks size
and sha256, and keeps the converted form in $XDG_CACHE_HOME/prompt-budget/tokenizers. Gemma 4's
repository is gated: its download sends HF_TOKEN (an account that accepted Google's terms) with
that request only.

A file you already have counts too: in a --tokenizers folder or PROMPT_BUDGET_TOKENIZERS (matched
by sha256, whatever its name), or in the Hugging Face cache (HF_HUB_CACHE, HF_HOME).

Options:
  --tokenizers DIR     a folder of vocabulary files (any command takes it)
  --json               list as JSON

Exit codes: 0 ok, 2 bad usage or a vocabulary that could not be had (offline, a failed download).`,
};
