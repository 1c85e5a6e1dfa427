import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { IDENTITY_SETTINGS_KEY, readIdentitySettings, type IdentitySettings } from './identity-settings.ts';
import type { Acting } from './staff-deps.ts';

/** Changes the identity settings (owners): e.g. two-factor required for every password sign-in. */
export async function updateIdentitySettings(em: EntityManager, change: Partial<IdentitySettings>, acting: Acting): Promise<IdentitySettings> {
  return em.fork().transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(727401003)`);
    const before = await readIdentitySettings(tx);
    const after = { ...before, ...change };
    await tx.execute(
      `insert into setting (key, value, updated_at) values (?, ?, now()) on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`,
      [IDENTITY_SETTINGS_KEY, JSON.stringify(after)],
    );
    await recordAuditEvent(tx, { actor: acting.actor, action: 'setting.updated', target: { type: 'setting', id: IDENTITY_SETTINGS_KEY }, before: { ...before }, after: { ...after }, origin: acting.origin });
    return after;
  });
}
