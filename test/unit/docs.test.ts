import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROBLEM_STATUS } from '../../api/http/problem.ts';
import { ACTIVATION_REJECTION_CODES, VALIDATION_CODES } from '../../domain/licenses/validation-codes.ts';
import { configSchema } from '../../lib/config.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const DOCS = ['architecture', 'configuration', 'api-and-codes', 'staff-identity', 'console', 'portal', 'lifecycle', 'stripe', 'outreach', 'offline-and-sdk', 'operations-and-deployment', 'benchmark', 'usage-and-abuse', 'reports'];

describe('the docs', () => {
  it('has one page per topic, each linked from the README', () => {
    const readme = read('README.md');
    for (const page of DOCS) {
      expect({ page, exists: existsSync(path.join(root, 'docs', `${page}.md`)) }).toEqual({ page, exists: true });
      expect({ page, linked: readme.includes(`](docs/${page}.md)`) }).toEqual({ page, linked: true });
    }
  });

  it('names every problem code the API answers with, with its status', () => {
    const page = read('docs/api-and-codes.md');
    for (const [code, status] of Object.entries(PROBLEM_STATUS)) {
      expect({ code, row: page.includes(`| \`${code}\` | ${status} |`) }).toEqual({ code, row: true });
    }
  });

  it('names every validation code and activation refusal', () => {
    const page = read('docs/api-and-codes.md');
    for (const code of [...Object.keys(VALIDATION_CODES), ...ACTIVATION_REJECTION_CODES]) {
      expect({ code, named: page.includes(`\`${code}\``) }).toEqual({ code, named: true });
    }
  });

  it('lists every setting in the configuration table', () => {
    const page = read('docs/configuration.md');
    const rows = page.split('\n').filter((line) => line.startsWith('| `'));
    for (const variable of Object.keys(configSchema.shape)) {
      expect({ variable, documented: rows.some((row) => row.split('|')[1]!.includes(`\`${variable}\``)) }).toEqual({ variable, documented: true });
    }
  });

  it('links only to files that exist', () => {
    for (const file of ['README.md', ...DOCS.map((page) => `docs/${page}.md`)]) {
      for (const [, target] of read(file).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        const resolved = path.join(root, path.dirname(file), target!);
        expect({ file, target, exists: existsSync(resolved) }).toEqual({ file, target, exists: true });
      }
    }
  });
});
