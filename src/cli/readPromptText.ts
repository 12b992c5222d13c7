import { decodePromptText } from '../core';
import { describeReadError, type CliIo } from './cliIo';
import { formatProblem } from './printProblems';

/** Reads and decodes one prompt file, or returns the one-line message saying why not. */
export async function readPromptText(io: CliIo, file: string): Promise<string | { message: string }> {
  let bytes: Uint8Array;
  try {
    bytes = await io.readFile(file);
  } catch (error) {
    return { message: describeReadError(file, error) };
  }
  const decoded = decodePromptText(file, bytes);
  if ('problem' in decoded) return { message: formatProblem(decoded.problem) };
  return decoded.text;
}
