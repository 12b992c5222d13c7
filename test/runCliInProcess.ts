// The CLI run in-process with Node's file system, for the unit tests: what it printed and its exit code.
import { resolve } from 'node:path';
import type { CliIo } from '../src/cli/cliIo';
import { readRegularFile } from '../src/core/io/readRegularFile';
import { listFilesBelow } from '../src/cli/listFilesBelow';
import { runCli } from '../src/cli/runCli';

/** Runs `prompt-budget ARGS` in `cwd` and captures what it prints; `width` is the terminal's (100 when piped). */
export async function runCliInProcess(args: string[], cwd: string, width?: number): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    cwd,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    readFile: (path, maxBytes) => readRegularFile(resolve(cwd, path), maxBytes),
    listFiles: (dir) => listFilesBelow(resolve(cwd, dir)),
    width,
  };
  const code = await runCli(args, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
