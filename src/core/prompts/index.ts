// Public API of the prompt parsers.
export { countPrompt } from './countPrompt';
export { detectPromptFormat } from './detectPromptFormat';
export { parsePrompt } from './parsePrompt';
