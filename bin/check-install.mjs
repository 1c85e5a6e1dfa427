// `npm start` and `npm test` run this first (prestart, pretest). It is plain JavaScript on
// purpose: before `npm install` the machine's own Node runs the npm scripts, and a Node older
// than 22.18 cannot even read the TypeScript entry points, so it would fail with a stack
// trace about a file extension instead of saying what to do.
import { existsSync } from 'node:fs';

const [major, minor] = process.versions.node.split('.').map(Number);
const installed = existsSync(new URL('../node_modules/.package-lock.json', import.meta.url));
let problem;
if (!installed) {
  problem = 'the dependencies are not installed: run `npm ci` (or `npm install`) first; it also brings Node 24 LTS for the npm scripts';
} else if (major < 24 || (major === 24 && minor < 11)) {
  problem =
    `the npm scripts run on Node ${process.version}, but Keywarden needs Node 24.11 or newer: ` +
    'run `npm ci` again with scripts allowed (the node@24 devDependency provides it), or install Node 24 LTS';
}
if (problem) {
  process.stderr.write(`keywarden: ${problem}\n`);
  process.exit(1);
}
