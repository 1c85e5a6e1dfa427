import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { workflowIdFor } from '../workflows/license-state.ts';

export interface LicenseWorkflow {
  workflowId: string;
  namespace: string;
  /** The workflow's page in the Temporal Web UI; null when no UI address is known. */
  uiUrl: string | null;
  /** The current (latest) run; null when the workflow does not exist (reconciliation starts it). */
  execution: { runId: string; status: string; startedAt: Date; closedAt: Date | null; historyLength: number } | null;
}

/**
 * Where staff look at a license's lifecycle in Temporal: the workflow's latest run (one
 * `describe`, no query: it needs no worker) and its page in the Web UI.
 */
export async function describeLicenseWorkflow(temporal: Client, licenseId: string, uiBaseUrl: string | null): Promise<LicenseWorkflow> {
  const workflowId = workflowIdFor(licenseId);
  const namespace = temporal.options.namespace;
  const page = (runId?: string) =>
    uiBaseUrl
      ? `${uiBaseUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}${runId ? `/${encodeURIComponent(runId)}/history` : ''}`
      : null;
  try {
    const run = await temporal.workflow.getHandle(workflowId).describe();
    return {
      workflowId,
      namespace,
      uiUrl: page(run.runId),
      execution: { runId: run.runId, status: run.status.name, startedAt: run.startTime, closedAt: run.closeTime ?? null, historyLength: run.historyLength },
    };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { workflowId, namespace, uiUrl: page(), execution: null };
    throw error;
  }
}
