/** Writes web/api/openapi.gen.ts, the web apps' types of the API's contract (run by `npm run typecheck`). */
import path from 'node:path';
import { generateWebApiTypes } from '../api/openapi/web-types.ts';
import { GENERATED_API_TYPES, REPO_ROOT } from '../lib/web-build.ts';

await generateWebApiTypes(path.join(REPO_ROOT, GENERATED_API_TYPES));
