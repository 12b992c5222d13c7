/**
 * Reads CSV records line by line (RFC 4180 quoting). The state of an open quoted field is kept between
 * lines, so a record spanning many lines is parsed once, not once per line added.
 */
export class CsvRecordParser {
  private fields: string[] = [];
  private field = '';
  private quoted = false;
  /** Set when the last record closed a quoted field in the middle of a field (`"ab"cd`), which RFC 4180 does not allow. */
  malformed = false;
  /** Lines of the open record, and its characters so far. */
  lines = 0;
  size = 0;

  /** Adds one line (without its break); the record's fields once it is complete, undefined while a quoted field is open. */
  push(text: string): string[] | undefined {
    if (this.lines === 0) this.malformed = false;
    if (this.lines === 0 && !text.includes('"')) return text.split(',');
    if (this.lines > 0) this.field += '\n';
    this.lines++;
    this.size += text.length + 1;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (this.quoted) {
        if (c === '"') {
          if (text[i + 1] === '"') {
            this.field += '"';
            i++;
          } else {
            this.quoted = false;
            if (i + 1 < text.length && text[i + 1] !== ',') this.malformed = true;
          }
        } else {
          this.field += c;
        }
      } else if (c === '"' && this.field === '') {
        // A quote opens a quoted field only at its start; elsewhere it is kept as written.
        this.quoted = true;
      } else if (c === ',') {
        this.fields.push(this.field);
        this.field = '';
      } else {
        this.field += c;
      }
    }
    if (this.quoted) return undefined;
    const fields = [...this.fields, this.field];
    this.reset();
    return fields;
  }

  /** Forgets the open record. */
  reset(): void {
    this.fields = [];
    this.field = '';
    this.quoted = false;
    this.lines = 0;
    this.size = 0;
  }
}
