import { fileURLToPath } from 'node:url';
import packageJson from '../package.json' with { type: 'json' };

// The checkout (or installed app) folder: the command line runs from source, so paths to built
// assets are resolved from here.
export const appRoot = fileURLToPath(new URL('..', import.meta.url));

export const appVersion: string = packageJson.version;
