// Bundles the extension, its prompt worker, the CLI and the library. Type checking is separate: `npm run check`.
import * as esbuild from 'esbuild';
import { randomUUID } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { writeRanks, writeVocabularies } from './scripts/buildRanks.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints build errors in the shape VS Code's esbuild problem matcher reads. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

// Names this build in its bundles and in the catalog snapshot it writes (writeBuiltInSnapshot). A watch
// build has none: its bundles change without a new snapshot, so they build the catalog themselves.
const buildId = watch ? undefined : randomUUID();

const common = {
  bundle: true,
  define: buildId ? { PROMPT_BUDGET_BUILD_ID: JSON.stringify(buildId) } : {},
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: watch ? 'silent' : 'warning',
  plugins: watch ? [problemMatcher] : [],
};

/**
 * The price package is half a megabyte of data needed only when the first prompt is priced:
 * the extension and its worker load it from its own file then, so activation never parses it.
 */
const pricesInOwnFile = {
  name: 'prices-in-own-file',
  setup(build) {
    build.onResolve({ filter: /^@pydantic\/genai-prices$/ }, () => ({ path: './genaiPrices.js', external: true }));
  },
};

/**
 * The editor and the CLI read a postgres:// ledger with the `pg` client bundled in its own file,
 * loaded only when a config names such a ledger (the library uses the application's `pg`).
 */
const pgInOwnFile = {
  name: 'pg-in-own-file',
  setup(build) {
    build.onResolve({ filter: /^pg$/ }, () => ({ path: './pg.js', external: true }));
  },
};

const builds = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [...common.plugins, pricesInOwnFile, pgInOwnFile] },
  { ...common, entryPoints: ['src/extension/worker/promptWorker.ts'], outfile: 'dist/promptWorker.js', plugins: [...common.plugins, pricesInOwnFile] },
  { ...common, entryPoints: ['node_modules/@pydantic/genai-prices/dist/index.cjs'], outfile: 'dist/genaiPrices.js' },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [...common.plugins, pgInOwnFile] },
  { ...common, entryPoints: ['node_modules/pg/lib/index.js'], outfile: 'dist/pg.js', external: ['pg-native'] },
  // The library (package.json `exports`): beside the ranks files, as the CLI; SDKs and `pg` stay the application's.
  { ...common, entryPoints: ['src/library/index.ts'], outfile: 'dist/library.cjs', external: ['pg', '@opentelemetry/api'], plugins: [...common.plugins, pricesInOwnFile] },
];

/** ESM entry and its types: the CommonJS bundle's exports re-exported by name, so both share one state. */
async function writeLibraryEsmEntry() {
  const names = Object.keys(createRequire(import.meta.url)('./dist/library.cjs')).filter((name) => name !== 'default' && name !== '__esModule');
  await writeFile('dist/library.mjs', `import library from './library.cjs';\nexport const { ${names.join(', ')} } = library;\nexport default library;\n`);
  await writeFile('dist/library.d.mts', `export * from './types/library/index.js';\n`);
}

/**
 * The bundled providers' price data as JSON beside the bundles (`bundledPriceData` reads it): parsed in
 * a few ms, where evaluating the package's half megabyte of JavaScript takes 50-100 ms on the extension
 * host's thread before the first count. Written from the installed package, with its version.
 */
async function writeBundledPriceCopy(dir) {
  const { findProvider } = createRequire(import.meta.url)('@pydantic/genai-prices');
  const { version } = JSON.parse(readFileSync('node_modules/@pydantic/genai-prices/package.json', 'utf8'));
  const ids = JSON.parse(readFileSync('src/core/catalog/bundledProviderIds.json', 'utf8'));
  const providers = ids.map((id) => findProvider({ providerId: id })).filter((provider) => provider?.id !== undefined);
  await writeFile(`${dir}/genaiPrices.json`, JSON.stringify({ package: '@pydantic/genai-prices', version, providers }));
}

// The worker and the CLI read the tokenizer ranks from dist/<encoding>.ranks (see scripts/buildRanks.mjs).
await writeRanks('dist');
// The open families' vocabularies (scripts/buildVocabularies.mjs) likewise, and their licences beside them.
await writeVocabularies('dist');
for (const file of readdirSync('vocabularies')) if (!file.endsWith('.gz')) copyFileSync(`vocabularies/${file}`, `dist/${file}`);
await writeBundledPriceCopy('dist');

/**
 * The built-in catalog of the bundled price data, as this build's bundles would build it now, beside
 * them (src/core/catalog/builtInSnapshot.ts): they read it instead of building 1,500 models before the
 * first count. Made by the core's own code, bundled for the moment.
 */
async function writeBuiltInSnapshot(dir) {
  const writer = `${dir}/.builtInSnapshotWriter.cjs`;
  try {
    await esbuild.build({
      ...common,
      sourcemap: false,
      plugins: [pricesInOwnFile],
      stdin: { contents: "module.exports = require('./src/core/catalog/modelCatalog').ModelCatalog;", resolveDir: '.', loader: 'ts' },
      outfile: writer,
    });
    const ModelCatalog = createRequire(import.meta.url)(`./${writer}`);
    await writeFile(`${dir}/builtInCatalog.json`, ModelCatalog.builtInSnapshot(new Date(), buildId));
  } finally {
    await rm(writer, { force: true });
  }
}

if (watch) {
  // A snapshot of an earlier build would not be read; removed so that nothing suggests otherwise.
  rmSync('dist/builtInCatalog.json', { force: true });
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  await Promise.all([writeLibraryEsmEntry(), writeBuiltInSnapshot('dist')]);
}
