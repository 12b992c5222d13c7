// `npm start`: this repo's extension in a real VS Code in the browser, on examples/.
// The extension is linked into the extensions folder as if installed, so after
// `npm run build` (or with `npm run watch`) "Developer: Reload Window" picks up the change.
// State (settings, open editors) is kept in .vscode-host/start/ between runs; a second `npm start`
// while one runs gets its own (.vscode-host/start-2/, …) and its own port.
import { join } from 'node:path';
import { CODE_SERVER_VERSION, ensureCodeServer, findFreePort, HostError, hostDir, repoRoot, startCodeServer } from './codeServer.mjs';
import { claimStartStateDir } from './startStateDir.mjs';

const PREFERRED_PORT = Number(process.env.PORT ?? 8080);
const workspace = join(repoRoot, 'examples');

let state;
try {
  await ensureCodeServer();
  state = claimStartStateDir(hostDir);
  process.on('exit', () => state.release());
  const server = await startCodeServer({
    workspace,
    port: await findFreePort(PREFERRED_PORT),
    installExtension: true,
    extensionDir: join(state.dir, 'extensions'),
    userDataDir: join(state.dir, 'user-data'),
    logFile: join(state.dir, 'code-server.log'),
  });
  console.log(`Prompt Budget in code-server ${CODE_SERVER_VERSION}, workspace ${workspace}`);
  console.log(`Open ${server.url}`);
  console.log(`(server log: ${server.logFile}; Ctrl+C to stop)`);
  let stopping = false;
  const shutdown = async () => {
    stopping = true;
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  server.process.on('exit', (code) => {
    if (stopping) return;
    console.log(`code-server stopped (exit code ${code}); see ${server.logFile}`);
    process.exit(code ?? 1);
  });
} catch (error) {
  console.error(`start: ${error instanceof HostError ? error.message : error.stack}`);
  process.exit(1);
}
