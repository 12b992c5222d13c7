// Kept out of the library's exported modules: the package is bundled, not a dependency, so no
// published declaration may name its types.
import type * as GenaiPrices from '@pydantic/genai-prices';

let genaiPrices: typeof GenaiPrices | undefined;

/** The bundled @pydantic/genai-prices package, loaded on first use. */
export function loadGenaiPrices(): typeof GenaiPrices {
  genaiPrices ??= require('@pydantic/genai-prices') as typeof GenaiPrices;
  return genaiPrices;
}
