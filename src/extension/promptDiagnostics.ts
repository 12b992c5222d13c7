// Problems of open prompt files: context window, max output, unknown model, parse problems,
// and the per-file limits of the budgets that match them. Recomputed on every analysis.
import * as vscode from 'vscode';
import { firstNonBlankLine, toRange } from './documentRanges';
import type { TextRange } from '../core/types';
import { ruleDiagnostic, toDiagnostic } from './problemDiagnostics';
import type { DocumentAnalysis, PromptDocuments } from './promptDocuments';

/** Keeps the shared diagnostic collection in step with each prompt's latest analysis. */
export function registerPromptDiagnostics(
  context: vscode.ExtensionContext,
  documents: PromptDocuments,
  diagnostics: vscode.DiagnosticCollection,
): void {
  const update = (analysis: DocumentAnalysis): void => {
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === analysis.uri.toString());
    // Closed since, or edited since: the newer version's analysis will come.
    if (!document || document.version !== analysis.version) return;
    if (!documents.isPromptDocument(document)) {
      diagnostics.delete(document.uri);
      return;
    }
    diagnostics.set(document.uri, promptDiagnostics(document, analysis));
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

/** Every diagnostic of one analysed prompt document: the analysis's own findings, its parse problems and its budgets'. */
export function promptDiagnostics(document: vscode.TextDocument, analysis: DocumentAnalysis): vscode.Diagnostic[] {
  const result: vscode.Diagnostic[] = [];
  for (const finding of analysis.findings) result.push(ruleDiagnostic(toRange(document, finding.range), finding.message, finding.severity, finding.rule));
  for (const problem of analysis.parsed.problems) result.push(toDiagnostic(problem));
  for (const finding of analysis.budgetFindings) {
    // A budget's per-call limits are about the whole body: shown at its first non-blank line, as `prompt-budget check` shows them.
    const range = finding.rule.startsWith('budget-') ? bodyFirstLine(document, finding.range) : toRange(document, finding.range);
    result.push(ruleDiagnostic(range, finding.message, finding.severity, finding.rule));
  }
  return result;
}

/** The first non-blank line of the prompt's body, without its indentation: where budget findings belong. */
function bodyFirstLine(document: vscode.TextDocument, body: TextRange): vscode.Range {
  const line = firstNonBlankLine(document, body.start, body.end);
  if (!line) return document.lineAt(document.positionAt(body.start).line).range;
  return new vscode.Range(line.lineNumber, line.firstNonWhitespaceCharacterIndex, line.lineNumber, line.text.trimEnd().length);
}
