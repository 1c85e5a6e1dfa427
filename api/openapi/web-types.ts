import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildOpenApiDocument } from './document.ts';

const HEADER = `/**
 * GENERATED from the API's OpenAPI document (api/openapi/) by \`npm run typecheck\` and the web
 * build: never edit it, and never commit it. The web apps' one API client (web/api/client.ts)
 * is typed by it, so a contract change that breaks a page fails the type-check.
 */
`;

/**
 * Writes the TypeScript types of the API's contract for the web apps (openapi-typescript), from
 * the same document GET /openapi.json serves, built without starting a server. Leaves the file
 * alone when nothing changed. Returns whether it wrote.
 */
export async function generateWebApiTypes(file: string): Promise<boolean> {
  const document = buildOpenApiDocument();
  const source = HEADER + astToString(await openapiTS(document as never, { alphabetize: true }));
  if (existsSync(file) && readFileSync(file, 'utf8') === source) return false;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, source);
  return true;
}
