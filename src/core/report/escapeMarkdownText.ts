// Text from logs, file names and configs is data in Markdown output: `<script>` or `<img onerror>` in a
// model id must show as written, and a `|` must not split a table cell.

/** `text` with backslashes, `|`, raw HTML (`&`, `<`, `>`) and control characters escaped; line breaks become `<br>`. */
export function escapeMarkdownText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n|\r/g, '<br>')
    // eslint-disable-next-line no-control-regex -- control characters are what this finds
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `&#${c.charCodeAt(0)};`);
}
