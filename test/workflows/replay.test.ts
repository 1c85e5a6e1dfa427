import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { workflowsPath } from '../../worker/worker.ts';
import '../support/temporal.ts';

/**
 * Replays every committed workflow history against the current workflow code. A change that
 * is not deterministic for histories already in production (and not guarded with patched())
 * fails here, and so fails the build.
 */
const dir = path.join(import.meta.dirname, 'histories');
const files = readdirSync(dir).filter((file) => file.endsWith('.json'));

describe('replaying committed license workflow histories', () => {
  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('replays %s deterministically', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
    await Worker.runReplayHistory({ workflowsPath }, history, file.replace(/\.json$/, ''));
  });
});
