import type { EntityManager } from '@mikro-orm/postgresql';
import type Stripe from 'stripe';
import type { Logger } from '../../lib/logger.ts';
import type { ServerSecret } from '../../lib/server-secret.ts';
import type { LicenseLifecycle } from '../lifecycle/license-lifecycle.ts';
import type { MessageDeliveries } from '../outbox/queue-message.ts';

/** What acting on Stripe events needs: Postgres, the lifecycle engine, the Stripe API and the server secret. */
export interface StripeProcessingDeps {
  em: EntityManager;
  lifecycle: LicenseLifecycle;
  /** Starts a new license's key email once its row has committed (else the outbox sweep sends it). */
  deliveries?: MessageDeliveries;
  stripe: Stripe;
  secret: ServerSecret;
  logger: Logger;
}

/** An event that cannot be applied as things are configured: kept FAILED with this code, replayable. */
export class StripeEventRejection extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'StripeEventRejection';
    this.code = code;
  }
}
