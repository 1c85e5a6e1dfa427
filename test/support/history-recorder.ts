import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils.js';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

/** Where the committed histories live; test/workflows/replay.test.ts replays every file there. */
export const HISTORIES_DIR = path.join(import.meta.dirname, '..', 'workflows', 'histories');

/**
 * Set by `npm run test:record-histories`: the scenarios that end with recordHistory() write the
 * histories of the workflows they drove into HISTORIES_DIR. Off in every other run.
 */
export const RECORDING_HISTORIES = process.env.KEYWARDEN_RECORD_HISTORIES === '1';

/**
 * Writes the history of every run of a workflow, from `firstRunId` (default: its latest run)
 * along its continue-as-new chain, to `<name>.json` (one run) or `<name>.run-01.json`,
 * `.run-02.json`, … (several): the replayer takes one run per history. Files of an earlier recording under the same name are
 * removed first. A no-op unless RECORDING_HISTORIES. Returns the files written.
 */
export async function recordHistory(client: Pick<Client, 'workflow'>, workflowId: string, name: string, firstRunId?: string): Promise<string[]> {
  if (!RECORDING_HISTORIES) return [];
  const runs: string[] = [];
  for (let runId: string | undefined = firstRunId ?? (await client.workflow.getHandle(workflowId).describe()).runId; runId; ) {
    const history: History = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.push(historyToJSON(history));
    const last = history.events?.at(-1);
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  for (const stale of readdirSync(HISTORIES_DIR).filter((file) => file === `${name}.json` || (file.startsWith(`${name}.run-`) && file.endsWith('.json')))) {
    rmSync(path.join(HISTORIES_DIR, stale));
  }
  const files = runs.map((_, index) => (runs.length === 1 ? `${name}.json` : `${name}.run-${String(index + 1).padStart(2, '0')}.json`));
  runs.forEach((json, index) => writeFileSync(path.join(HISTORIES_DIR, files[index]!), `${json}\n`));
  return files;
}
