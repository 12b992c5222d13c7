// Template variables: `{{x}}` / `{{ x }}` (Mustache, Jinja, GitHub Models) and `${input:x}` /
// `${input:x:placeholder}` (VS Code prompt files).

const VARIABLE = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}|\$\{input:\s*([^}:\s]+)\s*(?::[^}]*)?\}/g;

/** Variable names used in `texts`, deduplicated, in order of first use. */
export function findVariables(texts: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(VARIABLE)) {
      seen.add(match[1] ?? match[2]);
    }
  }
  return [...seen];
}

/** `text` with each variable that has a value in `values` replaced by it; others are left as written. */
export function renderVariables(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(VARIABLE, (whole: string, mustache: string | undefined, input: string | undefined) => {
    const value = values.get(mustache ?? input ?? '');
    return value ?? whole;
  });
}

/** A sample value as a template engine would print it: strings as they are, anything else as JSON. */
export function sampleText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}
