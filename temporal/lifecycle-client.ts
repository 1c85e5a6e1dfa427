import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateStage, type Client } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { DomainError, isDomainErrorCode, type DomainErrorCode } from '../domain/domain-error.ts';
import type { WorkflowSnapshot } from '../domain/licenses/diagnose-license-drift.ts';
import type { AdminUpdate, BillingFactMessage, Delivery, LicenseLifecycle, LicenseSubject } from '../domain/lifecycle/license-lifecycle.ts';
import type { MessageDeliveries } from '../domain/outbox/queue-message.ts';
import type { LicenseEntity } from '../schema/license/license.entity.ts';
import { workflowIdFor, type LicenseState, type PlanPolicyUpdate } from '../workflows/license-state.ts';
import { planPolicyRolloutWorkflowId, type PlanPolicyRolloutInput, type PlanPolicyRollouts } from '../domain/plans/plan-policy-rollout.ts';
import type { planPolicyRolloutWorkflow } from '../workflows/plan-policy-rollout.workflow.ts';
import { LICENSE_FAILURE_TYPES } from '../workflows/license-failures.ts';
import type { Deadline } from '../workflows/lifecycle/deadlines.ts';
import type { DeliveryRetry } from '../workflows/message-delivery.workflow.ts';
import * as messages from '../workflows/messages.ts';
import { bulkWorkflowId, cancelBulkOperationSignal } from '../workflows/bulk-messages.ts';
import type { bulkOperationWorkflow } from '../workflows/bulk-operation.workflow.ts';
import type { BulkOperationEngine } from '../domain/bulk/bulk-operation-engine.ts';
import { LicenseExpiresAtKey, LicensePlanKey, LicenseStatusKey } from '../workflows/search-attributes.ts';
import { callWithDeadline } from './call-deadline.ts';
import { deliverBillingFact } from './deliver-billing-fact.ts';
import { startLicenseWorkflow } from './license-workflow-start.ts';
import { describeLicenseWorkflow, type LicenseWorkflow } from './describe-license-workflow.ts';
import type { SendNowOutcome } from '../domain/outbox/send-outbox-message-now.ts';
import { sendDeliveryNow, startDeliveryWorkflow } from './start-delivery.ts';
import { ensureWorkflowRunning, startWorkflowFromRow } from './start-workflow-from-row.ts';

/** Default deadline of one call to Temporal (TEMPORAL_CALL_TIMEOUT). */
export const DEFAULT_TEMPORAL_CALL_TIMEOUT_MS = 5_000;

/** The workflow's update for each admin operation the domain names. */
const ADMIN_UPDATES = {
  revoke: messages.revokeUpdate,
  extendTrial: messages.extendTrialUpdate,
  changePlan: messages.changePlanUpdate,
  suspend: messages.suspendUpdate,
  reinstate: messages.reinstateUpdate,
  renew: messages.renewUpdate,
  setExpiry: messages.setExpiryUpdate,
  updateTerms: messages.updateTermsUpdate,
  setSeatLimit: messages.setSeatLimitUpdate,
  setFeatures: messages.setFeaturesUpdate,
} satisfies Record<AdminUpdate['name'], { name: string }>;

// Every refusal a license workflow raises is a code the domain knows (the compiler checks).
LICENSE_FAILURE_TYPES satisfies readonly DomainErrorCode[];

export interface LifecycleClientOptions {
  client: Client;
  em: EntityManager;
  taskQueue: string;
  /** The deadline of each call (TEMPORAL_CALL_TIMEOUT). */
  callTimeoutMs?: number;
  /** Backoff of message deliveries (tests shorten it). */
  deliveryRetry?: DeliveryRetry;
}

/**
 * The one place that talks to Temporal as a client: starts license workflows (new, from the row,
 * or made sure of), hands them billing facts by signal-with-start, sends admin updates, queries
 * state and timeline, describes and repairs workflows for the reconciler, and starts message
 * deliveries. Workflow ids, search attributes and messages come from workflows/. Every call has a
 * deadline (TEMPORAL_CALL_TIMEOUT, default 5 s); Temporal unreachable or late is one fault,
 * LifecycleUnavailable, and a workflow's refusal is a DomainError with the workflow's code.
 */
export class LifecycleClient implements LicenseLifecycle, MessageDeliveries, PlanPolicyRollouts, BulkOperationEngine {
  readonly taskQueue: string;
  readonly callTimeoutMs: number;
  readonly #client: Client;
  readonly #em: EntityManager;
  readonly #deliveryRetry: DeliveryRetry | undefined;
  /** Calls not yet settled, including those answered at their deadline (see drain). */
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(options: LifecycleClientOptions) {
    this.#client = options.client;
    this.#em = options.em;
    this.taskQueue = options.taskQueue;
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_TEMPORAL_CALL_TIMEOUT_MS;
    this.#deliveryRetry = options.deliveryRetry;
  }

  #call<T>(what: string, call: () => Promise<T>, notFound?: 'rethrow'): Promise<T> {
    return callWithDeadline(this.#client, { timeoutMs: this.callTimeoutMs, what, notFound, inFlight: this.#inFlight }, call);
  }

  /**
   * Waits until every call made so far has settled, those already answered at their deadline too:
   * call it before closing the connection. A call's gRPC deadline ends its retries, so this takes
   * at most the deadline plus one retry backoff (the SDK's is at most 5 s).
   */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  /** For the helpers that read the row first: only their Temporal call runs under the deadline. */
  get #deps() {
    return { em: this.#em, temporal: this.#client, taskQueue: this.taskQueue, call: <T>(what: string, call: () => Promise<T>) => this.#call(what, call) };
  }

  async start(subject: LicenseSubject): Promise<void> {
    await this.#call('start the license workflow', () => startLicenseWorkflow(this.#deps, subject));
  }

  /** Starts a license's workflow again from its row; false when a run is already there. */
  startFromRow(licenseId: string, now: Date): Promise<boolean> {
    return startWorkflowFromRow(this.#deps, licenseId, now);
  }

  ensureRunning(license: LicenseEntity): Promise<void> {
    return ensureWorkflowRunning(this.#deps, license);
  }

  deliverBillingFact(licenseId: string, message: BillingFactMessage, options: { deliveredBefore?: boolean } = {}): Promise<Delivery> {
    return deliverBillingFact(this.#deps, licenseId, message, options);
  }

  /**
   * Two calls, each under the deadline: the update is accepted (the workflow's validator passed,
   * so it will be applied), then its result is awaited (the workflow's activity has written
   * Postgres). Temporal unreachable fails the first, before anything is decided.
   */
  async update(licenseId: string, update: AdminUpdate, options: { updateId?: string } = {}): Promise<LicenseState> {
    const definition = ADMIN_UPDATES[update.name] as UpdateDefinition<LicenseState, [typeof update.args]>;
    try {
      const accepted = await this.#call(`update ${update.name}`, () =>
        this.#handle(licenseId).startUpdate(definition, { args: [update.args], waitForStage: WorkflowUpdateStage.ACCEPTED, ...(options.updateId ? { updateId: options.updateId } : {}) }),
      );
      return await this.#call(`the result of update ${update.name}`, () => accepted.result());
    } catch (error) {
      throw refusal(error) ?? error;
    }
  }

  async state(licenseId: string): Promise<LicenseState | null> {
    try {
      return await this.#call('query the license state', () => this.#handle(licenseId).query(messages.stateQuery), 'rethrow');
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  }

  /** The workflow's state and what will happen next, and when. */
  timeline(licenseId: string): Promise<{ state: LicenseState; timeline: Deadline[] }> {
    const handle = this.#handle(licenseId);
    return this.#call('query the license timeline', async () => {
      const [state, timeline] = await Promise.all([handle.query(messages.stateQuery), handle.query(messages.timelineQuery)]);
      return { state, timeline };
    });
  }

  /** What Temporal says about the license's workflow (its latest run), from one describe call. */
  describe(licenseId: string): Promise<WorkflowSnapshot> {
    return this.#call(
      'describe the license workflow',
      async () => {
        try {
          const description = await this.#handle(licenseId).describe();
          const attributes = description.typedSearchAttributes;
          const expiresAt = attributes.get(LicenseExpiresAtKey);
          return {
            found: true,
            status: description.status.name,
            busy: Boolean(description.raw.pendingWorkflowTask) || (description.raw.pendingActivities?.length ?? 0) > 0,
            licenseStatus: attributes.get(LicenseStatusKey) ?? null,
            plan: attributes.get(LicensePlanKey) ?? null,
            expiresAt: expiresAt ? expiresAt.toISOString() : null,
          } satisfies WorkflowSnapshot;
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) return { found: false } satisfies WorkflowSnapshot;
          throw error;
        }
      },
      'rethrow',
    );
  }

  /** The workflow's latest run and its page in the Temporal Web UI, for staff (no query: it needs no worker). */
  describeRun(licenseId: string, uiBaseUrl: string | null): Promise<LicenseWorkflow> {
    return this.#call('describe the license workflow', () => describeLicenseWorkflow(this.#client, licenseId, uiBaseUrl), 'rethrow');
  }

  /** Asks the workflow to write its state back to the row (drift repair). */
  async signalReconcile(licenseId: string, reason: string): Promise<void> {
    await this.#call('signal reconcile', () => this.#handle(licenseId).signal(messages.reconcileSignal, { reason }));
  }

  /** Hands a plan edit's policy to a license's workflow; false when none is running. */
  async signalPlanPolicy(licenseId: string, update: PlanPolicyUpdate): Promise<boolean> {
    try {
      await this.#call('signal the plan policy', () => this.#handle(licenseId).signal(messages.planPolicyChangedSignal, update), 'rethrow');
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  /** Starts a plan edit's rollout to the plan's running licenses (its id names the edit: starting it twice is one rollout). */
  async startPlanPolicyRollout(input: PlanPolicyRolloutInput): Promise<void> {
    await this.#call('start the plan policy rollout', () =>
      this.#client.workflow.start<typeof planPolicyRolloutWorkflow>('planPolicyRolloutWorkflow', {
        workflowId: planPolicyRolloutWorkflowId(input.planId, input.version),
        taskQueue: this.taskQueue,
        args: [input],
        staticSummary: `Plan ${input.planId}: its edit of ${input.version} reaches its licenses`,
      }).then(() => undefined, (error) => {
        if (error instanceof WorkflowExecutionAlreadyStartedError) return;
        throw error;
      }),
    );
  }

  startDelivery(outboxId: string, summary?: string, urgent = false): Promise<boolean> {
    return this.#call('start a message delivery', () => startDeliveryWorkflow({ temporal: this.#client, taskQueue: this.taskQueue, deliveryRetry: this.#deliveryRetry }, outboxId, summary, { urgent }));
  }

  /** A new delivery run of a message whose last one ended (a staff retry); false while one still runs. */
  restartDelivery(outboxId: string, summary?: string): Promise<boolean> {
    return this.#call('restart a message delivery', () =>
      startDeliveryWorkflow({ temporal: this.#client, taskQueue: this.taskQueue, deliveryRetry: this.#deliveryRetry }, outboxId, summary, { again: true }),
    );
  }

  /** Staff's "send now" of a PENDING message: its delivery stops waiting to try again, or starts. */
  sendDeliveryNow(outboxId: string, summary?: string): Promise<SendNowOutcome> {
    return this.#call('send a message now', () => sendDeliveryNow({ temporal: this.#client, taskQueue: this.taskQueue, deliveryRetry: this.#deliveryRetry }, outboxId, summary));
  }

  /** Starts a bulk operation's workflow (`bulk-<id>`): its items are already recorded. */
  async startBulkOperation(bulkOperationId: string, options: { ratePerSecond: number }): Promise<void> {
    await this.#call('start the bulk operation workflow', () =>
      this.#client.workflow.start<typeof bulkOperationWorkflow>('bulkOperationWorkflow', {
        workflowId: bulkWorkflowId(bulkOperationId),
        taskQueue: this.taskQueue,
        args: [{ bulkOperationId, ratePerSecond: options.ratePerSecond }],
        staticSummary: `Bulk operation ${bulkOperationId}`,
        staticDetails: `Applies bulk operation \`${bulkOperationId}\` one license at a time through each license's own workflow (GET /v1/bulk-operations/${bulkOperationId}).`,
      }),
    );
  }

  /** Tells a bulk operation's workflow to stop; one that has already finished needs no telling. */
  async cancelBulkOperation(bulkOperationId: string): Promise<void> {
    try {
      await this.#call('signal the bulk operation to cancel', () => this.#client.workflow.getHandle(bulkWorkflowId(bulkOperationId)).signal(cancelBulkOperationSignal), 'rethrow');
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }

  /** A cheap round trip (readiness). */
  async ping(): Promise<void> {
    await this.#call('ping', () => this.#client.connection.workflowService.getSystemInfo({}));
  }

  #handle(licenseId: string) {
    return this.#client.workflow.getHandle(workflowIdFor(licenseId));
  }
}

/** A workflow's refusal of an update, as the domain's error with the workflow's code. */
function refusal(error: unknown): DomainError | undefined {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && isDomainErrorCode(error.cause.type)) {
    return new DomainError(error.cause.type, error.cause.message);
  }
  return undefined;
}
