// esbuild inlines package.json's version; tsc-compiled tests read the same file.
import { version } from '../../package.json';

export const CLI_VERSION: string = version;
