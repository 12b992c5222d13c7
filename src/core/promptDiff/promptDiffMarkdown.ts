// `prompt-budget diff --format md`: a pull-request comment. File and budget names come from the
// repository, so they are escaped: no Markdown, HTML, mention or issue link can be written through them.
import { escapeMarkdownText } from '../report/escapeMarkdownText';
import { approxMark, formatTokens, formatUsd } from '../report/formatNumbers';
import type { BudgetDiff, BudgetSide, PromptDiff, PromptFileDiff } from './diffPromptChecks';
import { beforeAfter, callNotes, diffApprox, signedTokens, signedUsd } from './diffWording';

/** The diff as a Markdown comment: changed files (biggest first), totals, budgets, new problems, and what the figures mean. */
export function promptDiffMarkdown(diff: PromptDiff): string {
  const lines: string[] = [`### Prompt Budget: ${escapeMarkdownText(diff.base)} → ${escapeMarkdownText(diff.head)}`, ''];
  if (diff.files.length === 0) {
    lines.push('No prompt file changes its tokens, model or cost.');
  } else {
    lines.push(row(['File', 'Change', 'Model', 'Tokens', 'Δ tokens', 'Cost/call', 'Δ cost/call', 'Monthly', 'Δ monthly']));
    lines.push(row(['---', '---', '---', '---:', '---:', '---:', '---:', '---:', '---:']));
    for (const change of diff.files) lines.push(fileRow(change));
    const { tokens, monthly } = diff.totals;
    lines.push(
      row([
        '**All prompts**',
        '',
        '',
        `${formatTokens(tokens.before)} → ${formatTokens(tokens.after)}`,
        `**${signedTokens(tokens.delta)}**`,
        '',
        '',
        monthly ? `${formatUsd(monthly.before)} → ${formatUsd(monthly.after)}` : '',
        monthly ? `**${signedUsd(monthly.delta)}**` : '',
      ]),
    );
  }
  if (diff.budgets.length > 0) {
    lines.push('', row(['Budget', 'Largest prompt', 'Dearest call', 'Monthly', 'Δ monthly', 'Status']), row(['---', '---:', '---:', '---:', '---:', '---']));
    for (const budget of diff.budgets) lines.push(budgetRow(budget));
  }
  if (diff.problems.length > 0) {
    lines.push('', `**New problems (${diff.problems.length})**`, '');
    for (const problem of diff.problems) {
      const icon = problem.severity === 'error' ? '❌' : '⚠️';
      lines.push(`- ${icon} ${escapeMarkdownText(`${problem.file}:${problem.line}`)} (${escapeMarkdownText(problem.rule)}): ${escapeMarkdownText(problem.message)}`);
    }
  }
  lines.push('', `<sub>${footnote(diff)}</sub>`);
  return lines.join('\n') + '\n';
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function fileRow(change: PromptFileDiff): string {
  const { before, after } = change;
  const approx = diffApprox(change);
  const name = change.previousFile ? `${escapeMarkdownText(change.previousFile)} → ${escapeMarkdownText(change.file)}` : escapeMarkdownText(change.file);
  const model = before && after && before.model !== after.model ? `${escapeMarkdownText(before.model)} → ${escapeMarkdownText(after.model)}` : escapeMarkdownText((after ?? before)!.model);
  return row([
    name,
    change.status,
    model,
    beforeAfter(before, after, (side) => side.tokens, (tokens) => formatTokens(tokens)),
    `${approx}${signedTokens(change.delta.tokens)}`,
    beforeAfter(before, after, (side) => side.cost, formatUsd),
    change.delta.cost === null ? '—' : `${approx}${signedUsd(change.delta.cost)}`,
    change.monthly ? `${monthlyText(change.monthly.before, approx)} → ${monthlyText(change.monthly.after, approx)}` : '',
    change.monthly ? `**${approx}${signedUsd(change.monthly.delta)}**` : '',
  ]);
}

function monthlyText(value: number | null, approx: string): string {
  return value === null ? '—' : `${approx}${formatUsd(value)}`;
}

function budgetRow(budget: BudgetDiff): string {
  const figure = (pick: (side: BudgetSide) => number | null, show: (value: number) => string) => {
    const shown = (side: BudgetSide | null) => {
      const value = side ? pick(side) : null;
      return value === null ? '—' : `${approxMark(side!.exact)}${show(value)}`;
    };
    return `${shown(budget.before)} → ${shown(budget.after)}`;
  };
  const status = `${budget.before?.status ?? '—'} → ${budget.after?.status ?? '—'}`;
  return row([
    escapeMarkdownText(budget.name),
    figure((side) => side.tokens, (tokens) => formatTokens(tokens)),
    figure((side) => side.costPerCall, formatUsd),
    figure((side) => side.monthlyCost, formatUsd),
    budget.delta.monthlyCost === null ? '' : signedUsd(budget.delta.monthlyCost),
    budget.after?.status === 'over' && budget.before?.status !== 'over' ? `**${status}**` : status,
  ]);
}

/** What the figures mean, and where each month's calls come from. */
function footnote(diff: PromptDiff): string {
  const notes = callNotes(diff);
  const parts = [
    'Cost/call: input plus the budget’s expectedOutputTokens, or input alone where none is set; ≈ marks an estimated count.',
    'Monthly: 30 days at the prompt’s calls per day.',
  ];
  if (notes.length > 0) parts.push(`Calls: ${notes.map(escapeMarkdownText).join('; ')}.`);
  return parts.join(' ');
}
