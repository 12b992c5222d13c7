// A real VS Code for tests and `npm start`, installed offline from the npm registry and
// Debian packages (see shared/vscode-host.md): code-server ships the VS Code server and
// the web workbench, and @vscode/test-electron cannot download VS Code on these machines.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, lstatSync, readdirSync, unlinkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, renameSync, symlinkSync, writeFileSync, openSync, closeSync, readSync, statSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Overridable so a machine can keep one host for several clones.
export const hostDir = resolve(process.env.PROMPT_BUDGET_HOST_DIR ?? join(repoRoot, '.vscode-host'));
export const chromiumPath = '/usr/bin/chromium';

const installDir = join(hostDir, `code-server-${CODE_SERVER_VERSION}`);
const packageDir = join(installDir, 'package');
const entryPath = join(packageDir, 'out', 'node', 'entry.js');
const markerPath = join(installDir, 'installed.txt');
const logPath = join(hostDir, 'install.log');

const DEBIAN_PACKAGES = ['libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config', 'ripgrep', 'chromium'];
// Normally on the machine already; installed too when a bare image lacks them.
const BUILD_TOOLS = { python3: 'python3', make: 'make', 'g++': 'g++' };

/** An expected failure: the runners print its message on one line, without a stack. */
export class HostError extends Error {}

const progress = (message) => console.log(`[vscode-host] ${message}`);

/** Installs code-server into the cache folder once; later calls only check the marker. */
export async function ensureCodeServer() {
  const cached = isInstalled();
  mkdirSync(hostDir, { recursive: true });
  // The browser and ripgrep live outside the cache, so a kept work tree on a new machine still needs them.
  await ensureDebianPackages(cached ? ['chromium', 'ripgrep'] : DEBIAN_PACKAGES, !cached);
  if (cached) return { entryPath, version: CODE_SERVER_VERSION };

  const started = Date.now();
  progress(`installing code-server ${CODE_SERVER_VERSION} into ${installDir} (log: ${logPath})`);
  writeFileSync(logPath, '');
  // Build in a scratch folder and rename at the end, so an interrupted install never looks finished.
  const staging = `${installDir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  rmSync(installDir, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const pkg = join(staging, 'package');
  const vscodeDir = join(pkg, 'lib', 'vscode');

  await step('npm pack', 'npm', ['pack', `code-server@${CODE_SERVER_VERSION}`], staging);
  await step('extract', 'tar', ['xzf', `code-server-${CODE_SERVER_VERSION}.tgz`], staging);
  rmSync(join(staging, `code-server-${CODE_SERVER_VERSION}.tgz`));
  // --ignore-scripts: code-server's postinstall would fetch ripgrep from GitHub.
  await step('code-server dependencies', 'npm', ['install', '--omit=dev', '--ignore-scripts'], pkg);
  await step('rebuild argon2', 'npm', ['rebuild', 'argon2'], pkg);
  await step('VS Code server dependencies', 'npm', ['install', '--omit=dev', '--ignore-scripts'], vscodeDir);
  await step(
    'rebuild native modules',
    'npm',
    ['rebuild', '@parcel/watcher', '@vscode/deviceid', '@vscode/spdlog', 'kerberos', 'native-watchdog', 'node-pty'],
    vscodeDir,
    { npm_config_yes: 'true' }, // node-pty's build script runs `npx node-gyp`
  );
  // Search uses the Debian ripgrep instead of the binary @vscode/ripgrep would download.
  const rgDir = join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgDir, { recursive: true });
  rmSync(join(rgDir, 'rg'), { force: true });
  symlinkSync('/usr/bin/rg', join(rgDir, 'rg'));
  symlinkSync('node_modules', join(vscodeDir, 'node_modules.asar'));
  await step('built-in extension dependencies', 'npm', ['install', '--omit=dev'], join(vscodeDir, 'extensions'));

  writeFileSync(join(staging, 'installed.txt'), `${CODE_SERVER_VERSION}\n`);
  renameSync(staging, installDir);
  progress(`code-server ${CODE_SERVER_VERSION} installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return { entryPath, version: CODE_SERVER_VERSION };
}

function isInstalled() {
  try {
    return readFileSync(markerPath, 'utf8').trim() === CODE_SERVER_VERSION && existsSync(entryPath);
  } catch {
    return false;
  }
}

async function ensureDebianPackages(wanted, withBuildTools) {
  const missing = [];
  for (const name of wanted) {
    if (name === 'chromium' ? !existsSync(chromiumPath) : name === 'ripgrep' ? !existsSync('/usr/bin/rg') : !(await dpkgInstalled(name))) {
      missing.push(name);
    }
  }
  if (withBuildTools) {
    for (const [command, name] of Object.entries(BUILD_TOOLS)) {
      if (!(await onPath(command))) missing.push(name);
    }
  }
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new HostError(`missing Debian packages: ${missing.join(' ')}; run as root: apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`);
  }
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  progress(`Debian packages missing: ${missing.join(' ')}`);
  progress('apt-get update');
  await run('apt-get', ['update'], '/', env);
  progress(`apt-get install -y --no-install-recommends ${missing.join(' ')}`);
  await run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], '/', env);
}

async function dpkgInstalled(name) {
  try {
    const out = await run('dpkg-query', ['-W', '-f=${Status}', name], '/', {}, { quiet: true });
    return out.includes('install ok installed');
  } catch {
    return false;
  }
}

async function onPath(command) {
  try {
    await run('sh', ['-c', `command -v ${command}`], '/', {}, { quiet: true });
    return true;
  } catch {
    return false;
  }
}

async function step(label, command, args, cwd, env = {}) {
  const started = Date.now();
  progress(`${label}: ${command} ${args.join(' ')}`);
  await run(command, args, cwd, env);
  progress(`${label}: done in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Runs a command with its output going to the install log; on failure the error carries the log's tail. */
function run(command, args, cwd, extraEnv = {}, { quiet = false } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env: { ...cleanEnv(), ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = quiet ? null : createWriteStream(logPath, { flags: 'a' });
    log?.write(`\n$ (cd ${cwd} && ${command} ${args.join(' ')})\n`);
    let output = '';
    const collect = (chunk) => {
      output += chunk;
      if (output.length > 20000) output = output.slice(-10000);
      log?.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) => {
      log?.end();
      reject(new HostError(`${command}: ${error.message}`));
    });
    child.on('close', (code) => {
      log?.end();
      if (code === 0) return resolvePromise(output);
      const tail = output.trim().split('\n').slice(-15).join('\n');
      reject(new HostError(`\`${command} ${args.join(' ')}\` failed with exit code ${code} in ${cwd}${quiet ? '' : `\n${tail}\n(full log: ${logPath})`}`));
    });
  });
}

// Scripts started by `npm run` inherit variables (the outer package, its prefix) that must not leak into the host's own installs.
function cleanEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('npm_package_') || key.startsWith('npm_lifecycle_') || key === 'npm_config_local_prefix' || key === 'INIT_CWD') delete env[key];
  }
  return env;
}

/** Settings that keep the workbench quiet and deterministic: no welcome page, tours, update checks or telemetry. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  // Tests edit fixtures in memory and revert them; nothing may reach the disk on its own.
  'files.autoSave': 'off',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'git.autoRepositoryDetection': false,
  'chat.commandCenter.enabled': false,
  'github.copilot.enable': { '*': false },
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
};

/**
 * Installs this repo's extension into `extensionDir` as a link to the working tree, the way
 * VS Code lays out an installed extension (`publisher.name-version`), so the workbench lists
 * it under Installed and a window reload picks up a fresh `npm run build`. Returns its id.
 */
export function linkExtension(extensionDir) {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`;
  mkdirSync(extensionDir, { recursive: true });
  // A stale link (older version) or registry entry would shadow or confuse the new one.
  for (const entry of readdirSync(extensionDir)) {
    if (entry !== 'extensions.json' && !entry.startsWith(`${id}-`)) continue;
    const path = join(extensionDir, entry);
    // Unlink links explicitly: the target is the working tree.
    if (lstatSync(path).isSymbolicLink()) unlinkSync(path);
    else rmSync(path, { recursive: true, force: true });
  }
  symlinkSync(repoRoot, join(extensionDir, `${id}-${manifest.version}`));
  return id;
}

/**
 * Links a test-only extension folder (its own package.json) into `extensionDir` beside ours, as
 * `publisher.name-version`, e.g. the opening check's floor (test/e2e/floorExtension).
 */
function linkTestExtension(extensionDir, folder) {
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  const link = join(extensionDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  rmSync(link, { force: true });
  symlinkSync(folder, link);
}

/** Finds a free loopback port, trying `preferred` and the next few first when given. */
export async function findFreePort(preferred) {
  if (preferred) {
    for (let port = preferred; port < preferred + 20; port++) {
      if (await canListen(port)) return port;
    }
  }
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePromise(port));
    });
  });
}

function canListen(port) {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', () => resolvePromise(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePromise(true)));
  });
}

/**
 * Starts code-server on 127.0.0.1 and resolves once it answers HTTP.
 * With `installExtension`, this repo's extension is linked into the extensions folder (see linkExtension);
 * `testExtensions` (folders) are linked beside it.
 * Folders it makes itself (when no dirs are given) are removed by stop().
 * Returns { url, base, port, userDataDir, extensionDir, logFile, process, stop() }; `url` opens `workspace`.
 */
export async function startCodeServer({ workspace, port, extensionDir, userDataDir, logFile, installExtension = false, testExtensions = [], settings = {}, env = {}, timeoutMs = 60_000 } = {}) {
  if (!isInstalled()) throw new HostError('code-server is not installed; call ensureCodeServer() first');
  if (workspace && !existsSync(workspace)) throw new HostError(`workspace not found: ${workspace}`);
  port ??= await findFreePort();
  const scratch = mkdtempSync(join(tmpdir(), 'prompt-budget-host-'));
  userDataDir ??= join(scratch, 'user-data');
  extensionDir ??= join(scratch, 'extensions');
  logFile ??= join(scratch, 'code-server.log');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionDir, { recursive: true });
  mkdirSync(dirname(logFile), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  if (installExtension) linkExtension(extensionDir);
  for (const folder of testExtensions) linkTestExtension(extensionDir, folder);

  const logFd = openSync(logFile, 'a');
  const args = [
    entryPath,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(workspace ? [workspace] : []),
  ];
  // Own process group, so stop() also ends the extension host, pty host and watchers it forks.
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...cleanEnv(), ...env },
    stdio: ['ignore', logFd, logFd],
    detached: true,
  });
  closeSync(logFd);
  let exited = null;
  const exitPromise = new Promise((resolvePromise) => child.on('exit', (code, signal) => {
    exited = { code, signal };
    resolvePromise(exited);
  }));
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const removeScratch = () => {
    // Unlink our extension link first so removing the scratch folder cannot reach the working tree.
    if (extensionDir.startsWith(scratch) && existsSync(extensionDir)) {
      for (const entry of readdirSync(extensionDir)) {
        if (lstatSync(join(extensionDir, entry)).isSymbolicLink()) unlinkSync(join(extensionDir, entry));
      }
    }
    rmSync(scratch, { recursive: true, force: true });
  };
  // Never leave a server (or its scratch folder) behind when the runner itself exits.
  const onExit = () => {
    killGroup('SIGKILL');
    removeScratch();
  };
  process.once('exit', onExit);

  const stop = async () => {
    if (!exited) {
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
      await exitPromise;
      clearTimeout(timer);
    }
    killGroup('SIGKILL'); // stragglers in the group
    removeScratch();
    process.removeListener('exit', onExit);
  };

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(`${base}/healthz`))) {
    if (exited) {
      const message = `code-server exited (${exited.code ?? exited.signal}) before serving:\n${tail(logFile)}`;
      await stop();
      throw new HostError(message);
    }
    if (Date.now() > deadline) {
      const message = `code-server did not answer on ${base} within ${timeoutMs / 1000} s:\n${tail(logFile)}`;
      await stop();
      throw new HostError(message);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const url = workspace ? `${base}/?folder=${encodeURI(workspace)}` : `${base}/`;
  return { url, base, port, userDataDir, extensionDir, logFile, process: child, stop };
}

function answers(url) {
  return new Promise((resolvePromise) => {
    const request = get(url, (response) => {
      response.resume();
      resolvePromise(response.statusCode !== undefined && response.statusCode < 500);
    });
    request.on('error', () => resolvePromise(false));
    request.setTimeout(2000, () => {
      request.destroy();
      resolvePromise(false);
    });
  });
}

/** The last lines of a log file, for error messages. */
export function tail(file, lines = 20) {
  try {
    const size = statSync(file).size;
    const length = Math.min(size, 8192);
    const buffer = Buffer.alloc(length);
    const fd = openSync(file, 'r');
    readSync(fd, buffer, 0, length, size - length);
    closeSync(fd);
    return buffer.toString('utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// `node test/host/codeServer.mjs` installs (or checks) the host on its own.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  try {
    await ensureCodeServer();
    progress(`ready (${((Date.now() - started) / 1000).toFixed(1)} s): ${entryPath}`);
  } catch (error) {
    console.error(`[vscode-host] ${error instanceof HostError ? error.message : error.stack}`);
    process.exitCode = 1;
  }
}
