import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { parsePrompt } from '../../src/core/prompts/parsePrompt';

const repo = resolve(__dirname, '../../..');
const grammar = JSON.parse(readFileSync(resolve(repo, 'media/prompty.tmLanguage.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(resolve(repo, 'package.json'), 'utf8'));

test('.prompty files get a Prompty language whose grammar highlights the role lines the counter splits messages at', () => {
  assert.deepEqual(manifest.contributes.languages.find((language: { id: string }) => language.id === 'prompty').extensions, ['.prompty']);
  assert.equal(manifest.contributes.grammars.find((entry: { language: string }) => entry.language === 'prompty').scopeName, grammar.scopeName);
  // The grammar's patterns are Oniguruma; these use only syntax JavaScript reads the same way.
  const role = new RegExp(grammar.repository.role.match);
  for (const name of ['basic-v1.prompty', 'basic-v2.prompty']) {
    const text = readFileSync(resolve(repo, 'test/fixtures/prompts', name), 'utf8');
    const body = text.slice(parsePrompt(name, text).bodyRange.start);
    const highlighted = body.split(/\r?\n/).filter((line) => role.test(line)).map((line) => role.exec(line)![2]);
    const counted = parsePrompt(name, text).segments.map((segment) => segment.role).filter(Boolean);
    assert.deepEqual(highlighted, counted, name);
  }
  assert.ok(new RegExp(grammar.repository.frontmatter.end).test('---'));
});
