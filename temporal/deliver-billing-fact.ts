import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { licenseWorkflowStartOptions } from './license-workflow-start.ts';
import { License } from '../schema/entities.ts';
import type { BillingFactMessage, Delivery } from '../domain/lifecycle/license-lifecycle.ts';
import type { licenseWorkflow } from '../workflows/license.workflow.ts';
import * as messages from '../workflows/messages.ts';
import type { TemporalCall } from './call-deadline.ts';
import { rowRestartOverrides, rowSubject } from './start-workflow-from-row.ts';

/** The workflow's signal for each billing fact the domain names. */
export const BILLING_SIGNALS = {
  paymentSucceeded: messages.paymentSucceededSignal,
  paymentFailed: messages.paymentFailedSignal,
  planChanged: messages.planChangedSignal,
  subscriptionCanceled: messages.subscriptionCanceledSignal,
  refunded: messages.refundedSignal,
  trialWillEnd: messages.trialWillEndSignal,
} satisfies Record<BillingFactMessage['signal']['name'], { name: string }>;

/**
 * Hands a billing fact to the license's workflow with signal-with-start: a running workflow
 * gets the signal; one that is missing (never started, or failed) starts from the row, with the
 * billing facts it was handed before (rowRestartOverrides), and then gets it. A revoked license
 * is never touched: its workflow has completed, and starting it again would bring the license
 * back. The workflow ignores a fact whose event it has applied.
 */
export async function deliverBillingFact(
  /** `call`: the deadline of the Temporal call (the row and the event log are read before it, outside it). */
  deps: { em: EntityManager; temporal: Client; taskQueue: string; call: TemporalCall },
  licenseId: string,
  message: BillingFactMessage,
  /** deliveredBefore: this event was handed to the license's workflow before (a replay). */
  { deliveredBefore = false }: { deliveredBefore?: boolean } = {},
): Promise<Delivery> {
  const license = await deps.em.fork().findOne(License, { id: licenseId }, { populate: ['plan', 'customer'] });
  if (!license) return { delivered: false, detail: `license ${licenseId} no longer exists` };
  if (license.status === 'REVOKED') return { delivered: false, detail: `license ${licenseId} is revoked; ${message.signal.name} not delivered` };
  // The start input only counts when no run is there; a running workflow keeps its own state.
  const options = licenseWorkflowStartOptions(deps.taskQueue, rowSubject(license), await rowRestartOverrides(deps.em, license, new Date(), deliveredBefore ? [message.fact.eventId] : []));
  try {
    await deps.call(`signal ${message.signal.name}`, () =>
      deps.temporal.workflow.signalWithStart<typeof licenseWorkflow, [typeof message.fact]>('licenseWorkflow', {
        ...options,
        // A workflow that completed (the license was revoked) is never started again.
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        signal: BILLING_SIGNALS[message.signal.name] as never,
        signalArgs: [message.fact],
      }),
    );
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { delivered: false, detail: `the workflow of license ${licenseId} has completed; ${message.signal.name} not delivered` };
    throw error;
  }
  return { delivered: true, detail: `${message.signal.name} (${message.fact.eventId}) → license-${licenseId}` };
}
