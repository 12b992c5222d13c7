// Deterministic mixed text for the benchmark: prose, code, Markdown, CJK and emoji, numbers.

/** A small seeded PRNG (mulberry32): the same seed always gives the same text. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'pre', 'tion', 'ment', 'in', 'ex', 'ter', 'val', 'con', 'ra', 'di', 'um', 'sta', 'ble', 'or', 'qui', 'na', 'ly', 'ver', 'sol', 'ing', 'ed', 'al'];
const COMMON = 'the of and to a in is that for it as was with be by on not he this are or his from at which but have an they you were her she there one all we can has been if more when will would who so no'.split(' ');
const IDENTIFIERS = ['count', 'tokens', 'model', 'budget', 'text', 'range', 'offset', 'result', 'value', 'items', 'config', 'options', 'prompt', 'encoder'];
const CJK = ['東京は日本の首都です。', '今日はいい天気ですね、散歩に行きましょう。', '机器学习模型需要大量的数据。', '请把这段文字翻译成英文。', '한국어 문장도 포함합니다.'];
const EMOJI = ['🙂', '🚀', '✅', '👍🏽', '🇯🇵', '👩‍💻', '🎉'];

/** About `length` characters of deterministic mixed text. */
export function mixedText(length: number, seed = 1): string {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  // A vocabulary of a few thousand made-up words with a Zipf-like skew, like real prose.
  const vocabulary: string[] = [];
  for (let i = 0; i < 6000; i++) {
    const syllables = 1 + Math.floor(random() * 4);
    let word = '';
    for (let s = 0; s < syllables; s++) word += pick(SYLLABLES);
    vocabulary.push(word);
  }
  const word = (): string => (random() < 0.45 ? pick(COMMON) : vocabulary[Math.floor(vocabulary.length * random() ** 3)]);
  const sentence = (): string => {
    const words: string[] = [];
    const n = 6 + Math.floor(random() * 14);
    for (let i = 0; i < n; i++) words.push(word());
    const first = words[0];
    words[0] = first[0].toUpperCase() + first.slice(1);
    if (random() < 0.2) words.splice(2, 0, String(Math.floor(random() * 10000)));
    return words.join(random() < 0.1 ? ', ' : ' ') + pick(['.', '.', '.', '?', '!', ':']);
  };
  const blocks: Array<() => string> = [
    () => `${sentence()} ${sentence()} ${sentence()}\n\n`,
    () => {
      const name = pick(IDENTIFIERS);
      const lines = [`export function ${name}${Math.floor(random() * 100)}(${pick(IDENTIFIERS)}: number): number {`];
      lines.push(`  // ${sentence()}`);
      lines.push(`  const ${pick(IDENTIFIERS)} = ${pick(IDENTIFIERS)}.map((x) => x * ${Math.floor(random() * 1000)});`);
      lines.push(`  if (${name} > ${random().toFixed(3)}) {`, `    return ${pick(IDENTIFIERS)}.length;`, '  }', '', `  return ${name};`, '}');
      return lines.join('\n') + '\n\n';
    },
    () => `## ${sentence()}\n\n- ${sentence()}\n- **${word()}** [${word()}](https://example.com/${word()})\n\n| ${word()} | ${word()} |\n| --- | ---: |\n| ${Math.floor(random() * 1e6)} | ${random().toFixed(4)} |\n\n`,
    () => `${pick(CJK)}${pick(EMOJI)} ${pick(CJK)} ${pick(EMOJI)}${pick(EMOJI)}\n`,
    () => `${new Date(Date.UTC(2020, 0, 1) + Math.floor(random() * 2e11)).toISOString()} ${Math.floor(random() * 1e9)} ${(random() * 1e4).toFixed(2)}\n`,
  ];
  const weights = [0.45, 0.25, 0.15, 0.08, 0.07];
  const parts: string[] = [];
  let size = 0;
  while (size < length) {
    let r = random();
    let index = 0;
    while (index < weights.length - 1 && r >= weights[index]) r -= weights[index++];
    const block = blocks[index]();
    parts.push(block);
    size += block.length;
  }
  return parts.join('').slice(0, length);
}
