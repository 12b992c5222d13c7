// Text from logs, file names and configs is data in Markdown output: `<script>` or `<img onerror>` in a
// model id must show as written, a `|` must not split a table cell, and `![x](https://…)`, `@user` or
// `#123` must not become a remote image, a mention or a link in a pull-request comment.

/**
 * `text` with backslashes, Markdown's punctuation, raw HTML (`&`, `<`, `>`), mentions, issue links and
 * control characters escaped; line breaks become `<br>`.
 */
export function escapeMarkdownText(text: string): string {
  return text
    .replace(/[\\`*_[\]|~!]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // '#' before '@': the entity for '@' has a '#' of its own.
    .replace(/#/g, '&#35;')
    .replace(/@/g, '&#64;')
    .replace(/\r?\n|\r/g, '<br>')
    // eslint-disable-next-line no-control-regex -- control characters are what this finds
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `&#${c.charCodeAt(0)};`);
}
