/**
 * A Node ESM loader that runs the API's TypeScript sources as they are (no build):
 * swc compiles each .ts file with decorator metadata (as jest does, .swcrc), the
 * `@mend/*` aliases resolve to libs/<name>/src/index.ts, and `./x.js` imports to
 * `./x.ts`. Used only by generate-api.mjs to render the OpenAPI document.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { transformSync } from '@swc/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const swcOptions = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
delete swcOptions.$schema;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === '@mend/migrations')
    return { url: pathToFileURL(join(root, 'migrations', 'index.ts')).href, shortCircuit: true };
  const alias = /^@mend\/([a-z-]+)$/.exec(specifier);
  if (alias !== null && alias[1] !== 'web') {
    return { url: pathToFileURL(join(root, 'libs', alias[1], 'src', 'index.ts')).href, shortCircuit: true };
  }
  if (
    (specifier.startsWith('./') || specifier.startsWith('../')) &&
    specifier.endsWith('.js') &&
    context.parentURL?.endsWith('.ts')
  ) {
    const candidate = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
    if (existsSync(fileURLToPath(candidate))) return { url: candidate.href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.endsWith('.ts')) return nextLoad(url, context);
  const filename = fileURLToPath(url);
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    ...swcOptions,
    swcrc: false,
    filename,
    sourceMaps: false,
    module: { type: 'es6' },
  });
  return { format: 'module', source: code, shortCircuit: true };
}
