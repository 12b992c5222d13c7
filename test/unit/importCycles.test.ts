import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const src = resolve(__dirname, '../../../src');

/** Every .ts file below `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The project files a module imports or re-exports, type-only imports included (eslint's no-cycle skips those). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const targets: string[] = [];
  for (const match of text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+'(\.{1,2}\/[^']+)'/gm)) {
    const base = resolve(dirname(file), match[1]);
    const target = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
    if (target) targets.push(target);
  }
  return targets;
}

/** One import cycle of the graph, as paths relative to src, or undefined. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): string[] | undefined => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next].map((path) => relative(src, path));
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(file, 'done');
    return undefined;
  };
  for (const file of graph.keys()) {
    if (state.has(file)) continue;
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
}

test('no module of src imports itself back, not even through type-only imports', () => {
  const graph = new Map(sources(src).map((file) => [file, importsOf(file)]));
  assert.ok(graph.size > 100, `read ${graph.size} modules`);
  assert.equal(findCycle(graph)?.join(' -> '), undefined);
});

test('the cycle finder finds a cycle made only of type imports', () => {
  const a = join(src, 'a.ts');
  const b = join(src, 'b.ts');
  assert.deepEqual(findCycle(new Map([[a, [b]], [b, [a]]])), ['a.ts', 'b.ts', 'a.ts']);
});

test('no CLI command imports another command, so each can change on its own', () => {
  const cli = join(src, 'cli');
  const commands = sources(cli).filter((file) => file.endsWith('Command.ts'));
  assert.ok(commands.length >= 8, `found ${commands.length} commands`);
  const sideways = commands.flatMap((file) => importsOf(file).filter((target) => target !== file && commands.includes(target)).map((target) => `${relative(src, file)} -> ${relative(src, target)}`));
  assert.deepEqual(sideways, []);
});

test('the CLI and the library reach the core only through its public surface, src/core/index.ts', () => {
  const core = join(src, 'core');
  const entry = join(core, 'index.ts');
  const frontEnds = [...sources(join(src, 'cli')), ...sources(join(src, 'library'))];
  const deep = frontEnds.flatMap((file) => importsOf(file).filter((target) => target.startsWith(`${core}/`) && target !== entry).map((target) => `${relative(src, file)} -> ${relative(src, target)}`));
  assert.deepEqual(deep, []);
});
