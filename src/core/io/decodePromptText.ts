import type { Problem } from '../types';

export type DecodedText = { text: string } | { problem: Problem };

// Any NUL in the first 8 KiB marks a binary file, as git and VS Code decide it.
const BINARY_SNIFF_BYTES = 8192;

/**
 * Decodes a prompt file's bytes as UTF-8 without a BOM, or says why it is not a text prompt.
 * `outcome` ends the message: a prompt is 'not counted', a config 'not read'.
 */
export function decodePromptText(file: string, bytes: Uint8Array, outcome: 'not counted' | 'not read' = 'not counted'): DecodedText {
  const sniff = bytes.subarray(0, BINARY_SNIFF_BYTES);
  if (sniff.includes(0)) {
    return { problem: fileProblem(file, 'binary-file', `is a binary file (it contains NUL bytes); ${outcome}.`) };
  }
  try {
    // fatal: a wrong byte is reported rather than silently counted as U+FFFD;
    // ignoreBOM false: the decoder drops a leading BOM, as VS Code does.
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text };
  } catch {
    const { line, column } = firstInvalidUtf8Position(bytes);
    return {
      problem: { ...fileProblem(file, 'not-utf8', `is not valid UTF-8; ${outcome}. Save it as UTF-8.`), line, column },
    };
  }
}

function fileProblem(file: string, rule: string, message: string): Problem {
  return { file, line: 1, column: 1, severity: 'error', rule, message: `${file} ${message}` };
}

/** 1-based line and column (in bytes) of the first byte that breaks UTF-8. */
function firstInvalidUtf8Position(bytes: Uint8Array): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    let valid = length > 0 && i + length <= bytes.length;
    for (let k = 1; valid && k < length; k++) valid = (bytes[i + k] & 0xc0) === 0x80;
    // Overlong forms, UTF-16 surrogates and code points above U+10FFFF are invalid too.
    if (valid && length > 2) {
      const next = bytes[i + 1];
      if ((b === 0xe0 && next < 0xa0) || (b === 0xed && next >= 0xa0) || (b === 0xf0 && next < 0x90) || (b === 0xf4 && next >= 0x90)) {
        valid = false;
      }
    }
    if (!valid) return { line, column: i - lineStart + 1 };
    if (b === 0x0a) {
      line++;
      lineStart = i + 1;
    }
    i += length;
  }
  return { line, column: i - lineStart + 1 };
}
