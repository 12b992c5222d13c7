import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../src/core/prompts/textPosition';

describe('LineIndex', () => {
  const text = 'one\ntwo\r\nthree\rfour';
  const lines = new LineIndex(text);

  test('maps offsets to 1-based lines and columns across \\n, \\r\\n and \\r', () => {
    assert.equal(lines.lineCount, 4);
    assert.deepEqual(lines.positionAt(0), { line: 1, column: 1 });
    assert.deepEqual(lines.positionAt(3), { line: 1, column: 4 });
    assert.deepEqual(lines.positionAt(4), { line: 2, column: 1 });
    assert.deepEqual(lines.positionAt(text.indexOf('three')), { line: 3, column: 1 });
    assert.deepEqual(lines.positionAt(text.indexOf('four') + 2), { line: 4, column: 3 });
  });

  test('maps lines and columns back to offsets, clamped to the line', () => {
    for (let offset = 0; offset <= text.length; offset++) {
      const { line, column } = lines.positionAt(offset);
      if (text[offset - 1] === '\r' && text[offset] === '\n') continue; // inside a \r\n
      assert.equal(lines.offsetAt(line, column), offset);
    }
    assert.equal(lines.offsetAt(2, 99), text.indexOf('\r\n'), 'stops before the line break');
    assert.equal(lines.offsetAt(99, 1), text.indexOf('four'));
    assert.equal(lines.lineStart(3), text.indexOf('three'));
  });

  test('clamps offsets outside the text', () => {
    assert.deepEqual(lines.positionAt(-5), { line: 1, column: 1 });
    assert.deepEqual(lines.positionAt(1e9), { line: 4, column: 5 });
    assert.deepEqual(lines.positionAt(Number.NaN), { line: 1, column: 1 });
  });

  test('a leading BOM takes no column', () => {
    const withBom = new LineIndex('\uFEFFab\ncd');
    assert.deepEqual(withBom.positionAt(1), { line: 1, column: 1 });
    assert.deepEqual(withBom.positionAt(2), { line: 1, column: 2 });
    assert.deepEqual(withBom.positionAt(0), { line: 1, column: 1 });
    assert.equal(withBom.offsetAt(1, 1), 1);
    assert.deepEqual(withBom.positionAt(5), { line: 2, column: 2 });
  });

  test('counts columns in UTF-16 code units, as VS Code does', () => {
    assert.deepEqual(new LineIndex('😀x').positionAt(2), { line: 1, column: 3 });
  });
});
