#!/usr/bin/env node
// Writes src/generated/openapi.d.ts from openapi.json (the server's OpenAPI document, made by
// `helpdesk openapi`) with openapi-typescript. The file is rewritten only when its text
// changes, so make and tsc -b see nothing new when the spec did not change.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import openapiTS, { astToString } from 'openapi-typescript';

const spec = new URL('../openapi.json', import.meta.url);
const output = new URL('../src/generated/openapi.d.ts', import.meta.url);

const header =
  '// Generated from openapi.json by `npm run api:types` (openapi-typescript). Do not edit.\n\n';
const text = header + astToString(await openapiTS(spec));
const current = await readFile(output, 'utf8').catch(() => null);
if (current !== text) {
  await mkdir(new URL('.', output), { recursive: true });
  await writeFile(output, text);
  console.log('api:types: wrote src/generated/openapi.d.ts');
}
