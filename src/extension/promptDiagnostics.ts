// Problems of open prompt files: context window, max output, unknown model, parse problems,
// and the per-file limits of the budgets that match them. Recomputed on every analysis.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { firstNonBlankLine, toRange } from './documentRanges';
import type { PromptFinding } from '../core/analyzePrompt';
import { evaluateBudget } from '../core/budgets/evaluateBudget';
import { fileUsage } from '../core/checkWorkspace';
import { modelMismatchFinding } from '../core/modelMismatch';
import type { TextRange } from '../core/types';
import { ruleDiagnostic, toDiagnostic } from './problemDiagnostics';
import type { PromptContexts } from './promptContexts';
import type { DocumentAnalysis, PromptDocuments } from './promptDocuments';
import type { WorkspaceBudgets } from './workspaceBudgets';

/** Keeps the shared diagnostic collection in step with each prompt's latest analysis. */
export function registerPromptDiagnostics(
  context: vscode.ExtensionContext,
  documents: PromptDocuments,
  diagnostics: vscode.DiagnosticCollection,
  contexts: PromptContexts,
  budgets: WorkspaceBudgets,
): void {
  const update = (analysis: DocumentAnalysis): void => {
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === analysis.uri.toString());
    // Closed since, or edited since: the newer version's analysis will come.
    if (!document || document.version !== analysis.version) return;
    if (!documents.isPromptDocument(document)) {
      diagnostics.delete(document.uri);
      return;
    }
    diagnostics.set(document.uri, promptDiagnostics(document, analysis, contexts, budgets));
  };
  context.subscriptions.push(
    documents.onDidAnalyze(update),
    documents.onDidForget((uri) => diagnostics.delete(uri)),
  );
  for (const document of vscode.workspace.textDocuments) {
    const analysis = documents.get(document.uri);
    if (analysis) update(analysis);
  }
}

/** Every diagnostic of one analysed prompt document. */
export function promptDiagnostics(
  document: vscode.TextDocument,
  analysis: DocumentAnalysis,
  contexts: PromptContexts,
  budgets: WorkspaceBudgets,
): vscode.Diagnostic[] {
  const result: vscode.Diagnostic[] = [];
  const add = (finding: PromptFinding): void => {
    result.push(ruleDiagnostic(toRange(document, finding.range), finding.message, finding.severity, finding.rule));
  };
  for (const finding of analysis.findings) add(finding);
  for (const problem of analysis.parsed.problems) result.push(toDiagnostic(problem));

  const folder = budgets.folderOf(document.uri)?.folder;
  const relativePath = folder ? path.posix.relative(folder.uri.path, document.uri.path) : vscode.workspace.asRelativePath(document.uri, false);
  const body = bodyFirstLine(document, analysis.parsed.bodyRange);
  const catalog = contexts.catalogFor(document.uri);
  // The editor counts a file once, for its first budget's model; a later budget naming another
  // model is checked on that count here (`prompt-budget check` recounts for each budget).
  for (const budget of budgets.budgetsFor(document.uri)) {
    const evaluation = evaluateBudget(budget, [fileUsage(relativePath, analysis)]);
    // Only the per-file limits: the monthly cost belongs to the whole budget (tree and config file).
    for (const finding of evaluation.findings) {
      if (finding.file !== undefined) result.push(ruleDiagnostic(body, finding.message, finding.severity, finding.rule));
    }
    const mismatch = modelMismatchFinding(analysis, budget, catalog);
    if (mismatch) add(mismatch);
  }
  return result;
}

/** The first non-blank line of the prompt's body, without its indentation: where budget findings belong. */
function bodyFirstLine(document: vscode.TextDocument, body: TextRange): vscode.Range {
  const line = firstNonBlankLine(document, body.start, body.end);
  if (!line) return document.lineAt(document.positionAt(body.start).line).range;
  return new vscode.Range(line.lineNumber, line.firstNonWhitespaceCharacterIndex, line.lineNumber, line.text.trimEnd().length);
}
