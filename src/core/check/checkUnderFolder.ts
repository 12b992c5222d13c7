// Checks of several config folders (a monorepo's packages) shown as one, named from the top folder,
// as `prompt-budget check` from the root and the editor's report show them.
import type { WorkspaceCheck } from './checkWorkspace';

/** A config folder's check with its budgets' and unbudgeted files named from the top folder (`packages/a/prompts/x.md`). */
export function checkUnderFolder(check: WorkspaceCheck, folder: string): WorkspaceCheck {
  if (folder === '') return check;
  const prefix = (file: string) => `${folder}/${file}`;
  return {
    ...check,
    budgets: check.budgets.map((budget) => ({ ...budget, files: budget.files.map((file) => ({ ...file, file: prefix(file.file) })) })),
    unbudgeted: check.unbudgeted.map((file) => ({ ...file, file: prefix(file.file) })),
  };
}

/** Several config folders' checks as one, in the order given. */
export function combineChecks(checks: readonly WorkspaceCheck[]): WorkspaceCheck {
  return {
    budgets: checks.flatMap((each) => each.budgets),
    unbudgeted: checks.flatMap((each) => each.unbudgeted),
    files: checks.flatMap((each) => each.files),
    problems: checks.flatMap((each) => each.problems),
  };
}
