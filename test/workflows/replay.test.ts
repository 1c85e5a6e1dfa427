import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { workflowsPath } from '../../worker/worker.ts';
import { HISTORIES_DIR } from '../support/history-recorder.ts';
import '../support/temporal.ts';

/**
 * Replays every committed workflow history (test/workflows/histories, see its README) against
 * the current workflow code, with one workflow bundle for all of them. A change that is not
 * deterministic for histories already in production (and not guarded with patched()) fails
 * here, and so fails the build.
 */
const files = readdirSync(HISTORIES_DIR).filter((file) => file.endsWith('.json')).sort();
const nameOf = (file: string) => file.replace(/\.json$/, '');
const results = new Map<string, ReplayResult>();

beforeAll(async () => {
  const histories = files.map((file) => ({ workflowId: nameOf(file), history: historyFromJSON(JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8'))) }));
  for await (const result of Worker.runReplayHistories({ workflowsPath, replayName: 'committed-histories' }, histories)) results.set(result.workflowId, result);
}, 120_000);

describe('replaying the committed workflow histories', () => {
  it('has a history of each workflow type', () => {
    const types = new Set(files.map((file) => JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8')).events[0].workflowExecutionStartedEventAttributes.workflowType.name));
    expect([...types].sort()).toEqual(['licenseWorkflow', 'messageDeliveryWorkflow', 'reconcileLicensesWorkflow', 'stripeReconciliationWorkflow']);
  });

  it.each(files)('replays %s deterministically', (file) => {
    const result = results.get(nameOf(file));
    expect(result).toBeDefined();
    if (result!.error) throw result!.error;
  });
});
