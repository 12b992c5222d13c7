// js-tiktoken (a devDependency: tests, the bench and scripts/buildRanks.mjs read its ranks) resolves
// its ranks entry points through package.json "exports", which `moduleResolution: node` does not read.
declare module 'js-tiktoken/ranks/o200k_base' {
  const ranks: import('js-tiktoken/lite').TiktokenBPE;
  export default ranks;
}
declare module 'js-tiktoken/ranks/cl100k_base' {
  const ranks: import('js-tiktoken/lite').TiktokenBPE;
  export default ranks;
}
