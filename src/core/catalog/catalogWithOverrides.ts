// The one recipe for the catalog a prompt is counted against, so the editor, the count worker and
// the CLI cannot drift apart: built-in models, then the editor's settings, then the config's `models`.
import type { BudgetConfig } from '../config/budgetConfig';
import { ModelCatalog } from './modelCatalog';
import type { ModelOverride } from '../types';

/** Built-in models, overridden by `settingsModels` (the editor's; none in the CLI), then by the config's `models`. */
export function catalogWithOverrides(
  settingsModels: readonly ModelOverride[],
  config: Pick<BudgetConfig, 'models'> | undefined,
  builtIn: ModelCatalog = ModelCatalog.builtIn(),
): ModelCatalog {
  const withSettings = settingsModels.length > 0 ? builtIn.withOverrides(settingsModels, 'settings') : builtIn;
  return config ? withSettings.withOverrides(config.models, 'workspace') : withSettings;
}
