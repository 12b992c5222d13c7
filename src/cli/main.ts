// The `prompt-budget` bin: maps argv and Node's console and file system onto runCli.
import { readRegularFile } from '../core';
import { listFilesBelow } from './listFilesBelow';
import { runCli } from './runCli';

// `prompt-budget report | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

/** COLUMNS when set, else the terminal's width, else 100 when the output is piped. */
function terminalWidth(): number {
  const columns = Number(process.env.COLUMNS);
  if (Number.isInteger(columns) && columns > 0) return columns;
  return process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : 100;
}

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text + '\n'),
  stderr: (text) => process.stderr.write(text + '\n'),
  readFile: (path, maxBytes) => readRegularFile(path, maxBytes),
  width: terminalWidth(),
  listFiles: listFilesBelow,
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Only a bug reaches here; user errors are printed by the commands.
    process.stderr.write(`prompt-budget: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 2;
  },
);
