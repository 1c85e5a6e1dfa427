import type { EntityManager } from '@mikro-orm/postgresql';
import { loadSnapshotById, type LicenseSnapshot } from '../licenses/license-snapshot.ts';
import { Refusal } from '../refusal.ts';
import type { PortalCustomer } from './portal-deps.ts';

/** What the portal knows of a license beyond its snapshot: its own row's customer-facing columns. */
export interface OwnedLicense extends LicenseSnapshot {
  keyHash: string;
  keyHint: string;
  hasStoredKey: boolean;
  productName: string;
  soldThroughStripe: boolean;
  stripeCustomerId: string | null;
  createdAt: Date;
}

/**
 * The licenses of the signed-in customer: those whose customer record is theirs (the record
 * whose e-mail they signed in with). One query for the list and for one id, so no route can
 * reach a license by another path.
 */
export async function ownedLicenseRows(em: EntityManager, customer: PortalCustomer, licenseId?: string) {
  return em.execute<Record<string, any>[]>(
    `select l.id, l.key_hash, l.key_hint, l.key_ciphertext is not null as has_stored_key, l.created_at, pr.name as product_name,
            (l.stripe_subscription_id is not null or l.stripe_checkout_session_id is not null) as sold_through_stripe, c.stripe_customer_id
       from license l
       join customer c on c.id = l.customer_id
       join plan p on p.id = l.plan_id
       join product pr on pr.id = p.product_id
      where c.id = ? and c.email = ? ${licenseId ? 'and l.id = ?' : ''}
      order by l.created_at desc, l.id desc
      limit 200`,
    licenseId ? [customer.id, customer.email, licenseId] : [customer.id, customer.email],
  );
}

const notYours = (licenseId: string) =>
  new Refusal('PORTAL_LICENSE_NOT_FOUND', `You have no license with id ${licenseId}. If you bought it with another e-mail address, sign in with that one.`);

async function withSnapshot(em: EntityManager, row: Record<string, any>): Promise<OwnedLicense> {
  const snapshot = (await loadSnapshotById(em, row.id))!;
  return {
    ...snapshot,
    keyHash: row.key_hash,
    keyHint: row.key_hint,
    hasStoredKey: Boolean(row.has_stored_key),
    productName: row.product_name,
    soldThroughStripe: Boolean(row.sold_through_stripe),
    stripeCustomerId: row.stripe_customer_id ?? null,
    createdAt: new Date(row.created_at),
  };
}

/** One license of the customer's, or PORTAL_LICENSE_NOT_FOUND: the same answer for another customer's license and for no license at all. */
export async function findOwnedLicense(em: EntityManager, customer: PortalCustomer, licenseId: string): Promise<OwnedLicense> {
  const [row] = await ownedLicenseRows(em, customer, licenseId);
  if (!row) throw notYours(licenseId);
  return withSnapshot(em, row);
}

export async function listOwnedLicenses(em: EntityManager, customer: PortalCustomer): Promise<OwnedLicense[]> {
  const rows = await ownedLicenseRows(em, customer);
  return Promise.all(rows.map((row) => withSnapshot(em, row)));
}
