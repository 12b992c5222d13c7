import * as vscode from 'vscode';
import type { Problem, Severity } from '../core/types';

export const DIAGNOSTIC_SOURCE = 'Prompt Budget';

const EXTENSION_ID = 'prompt-budget.prompt-budget';

/** The rules page shipped with the extension (docs/rules.md), at the row that explains a rule (works offline). */
function ruleDocUri(rule: string): vscode.Uri {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  const rules = extension ? vscode.Uri.joinPath(extension.extensionUri, 'docs', 'rules.md') : vscode.Uri.parse('untitled:rules.md');
  return rules.with({ fragment: `rule-${rule}` });
}

/** The diagnostic severity for a core severity. */
export function toSeverity(severity: Severity): vscode.DiagnosticSeverity {
  return severity === 'error'
    ? vscode.DiagnosticSeverity.Error
    : severity === 'warning'
      ? vscode.DiagnosticSeverity.Warning
      : vscode.DiagnosticSeverity.Information;
}

/** A diagnostic carrying the rule id as its code, linked to the rule's documentation. */
export function ruleDiagnostic(range: vscode.Range, message: string, severity: Severity, rule: string): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(range, message, toSeverity(severity));
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = { value: rule, target: ruleDocUri(rule) };
  return diagnostic;
}

/** A core problem (1-based line/column) as a diagnostic. */
export function toDiagnostic(problem: Problem): vscode.Diagnostic {
  const start = new vscode.Position(Math.max(0, problem.line - 1), Math.max(0, problem.column - 1));
  const end =
    problem.endLine !== undefined && problem.endColumn !== undefined
      ? new vscode.Position(Math.max(0, problem.endLine - 1), Math.max(0, problem.endColumn - 1))
      : start.translate(0, 1);
  return ruleDiagnostic(new vscode.Range(start, end.isBefore(start) ? start : end), problem.message, problem.severity, problem.rule);
}
