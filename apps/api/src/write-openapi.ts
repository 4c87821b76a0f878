import 'reflect-metadata';

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { renderOpenApiDocument } from './openapi-document.js';

/**
 * `node dist/apps/api/src/write-openapi.js [file]`: writes the OpenAPI document as JSON
 * (to stdout without a file). Needs no database, Redis or secrets.
 */
try {
  const text = `${JSON.stringify(await renderOpenApiDocument(), null, 2)}\n`;
  const target = process.argv[2];
  if (target === undefined) process.stdout.write(text);
  else writeFileSync(resolve(target), text);
  process.exit(0);
} catch (error) {
  process.stderr.write(`Cannot render the OpenAPI document: ${String(error)}\n`);
  process.exit(1);
}
