// `npm start`: this repo's extension in a real VS Code in the browser, on examples/.
// The extension is linked into the extensions folder as if installed, so after
// `npm run build` (or with `npm run watch`) "Developer: Reload Window" picks up the change.
// State (settings, open editors) is kept in .vscode-host/start/ between runs.
import { join } from 'node:path';
import { CODE_SERVER_VERSION, ensureCodeServer, findFreePort, HostError, hostDir, repoRoot, startCodeServer } from './codeServer.mjs';

const PREFERRED_PORT = Number(process.env.PORT ?? 8080);
const workspace = join(repoRoot, 'examples');

try {
  await ensureCodeServer();
  const server = await startCodeServer({
    workspace,
    port: await findFreePort(PREFERRED_PORT),
    installExtension: true,
    extensionDir: join(hostDir, 'start', 'extensions'),
    userDataDir: join(hostDir, 'start', 'user-data'),
    logFile: join(hostDir, 'start', 'code-server.log'),
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
