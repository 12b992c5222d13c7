// The ranks entry points are resolved through package.json "exports", which the project's
// `moduleResolution: node` does not read; these declarations mirror js-tiktoken's own.
declare module 'js-tiktoken/ranks/o200k_base' {
  const ranks: import('js-tiktoken/lite').TiktokenBPE;
  export default ranks;
}
declare module 'js-tiktoken/ranks/cl100k_base' {
  const ranks: import('js-tiktoken/lite').TiktokenBPE;
  export default ranks;
}
