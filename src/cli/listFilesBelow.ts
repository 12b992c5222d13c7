import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

// Folders that never hold a team's prompts and can be huge.
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', '.vscode-host', '.hg', '.svn']);

/** Every file below `dir`, relative with `/` separators, skipping VCS and dependency folders. */
export async function listFilesBelow(dir: string): Promise<string[]> {
  const files: string[] = [];
  async function walk(relativeDir: string): Promise<void> {
    const entries = await readdir(join(dir, relativeDir), { withFileTypes: true });
    for (const entry of entries) {
      const path = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) await walk(path);
      } else if (entry.isFile()) {
        files.push(path);
      }
    }
  }
  await walk('');
  return files.sort();
}
