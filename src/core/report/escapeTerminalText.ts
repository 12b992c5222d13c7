// Text from logs, file names and data files is shown in terminals and CI logs: a control character
// there can move the cursor, retitle the terminal, or (a line break in a file name) forge a
// `file:line: error:` line that a problem matcher picks up.

// C0 controls and DEL, C1 controls, line and paragraph separators, and bidirectional overrides.
// eslint-disable-next-line no-control-regex -- control characters are what this finds
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every control character written as a visible escape (`\n`, `\x1b`, `\u202e`). */
export function escapeTerminalText(text: string): string {
  return text.replace(UNSAFE, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
