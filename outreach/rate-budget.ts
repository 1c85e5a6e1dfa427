import type { EntityManager } from '@mikro-orm/postgresql';
import type { BudgetSpend, ProviderBudgetName } from './provider-budgets.ts';

/** How long a provider that answered 429 without Retry-After is left alone. */
export const DEFAULT_RATE_LIMIT_PAUSE_MS = 1_000;

/**
 * Reserves the send time of one delivery's requests from each provider API's budget, shared by
 * every worker through Postgres (one row per API, `provider_rate_budget`): each reservation
 * moves the budget's next free time on by requests ÷ requests-per-second, from now or from the
 * end of a pause the provider asked for (429). Answers how long to wait before sending (the
 * latest of its budgets); the delivery waits that long on a durable timer, in Temporal.
 *
 * Urgent messages (a key email) reserve from their own frontier, so they never queue behind
 * a burst of reminders already reserved; each pushes the bulk frontier back by its own cost, so
 * over time the budget still holds. While both run, the provider may answer a few 429s: those
 * deliveries pause the budget and reserve again.
 */
export async function reserveSendTime(em: EntityManager, spends: BudgetSpend[], urgent: boolean): Promise<number> {
  let waitMs = 0;
  for (const spend of spends) {
    const seconds = spend.requests / spend.perSecond;
    const [row] = await em.fork().execute<{ wait_ms: number }[]>(
      `insert into provider_rate_budget as b (name, next_at, urgent_next_at, paused_until, updated_at)
       values (?, now() + make_interval(secs => ?), case when ? then now() + make_interval(secs => ?) else now() end, now(), now())
       on conflict (name) do update set
         next_at = greatest(b.next_at, now(), b.paused_until) + make_interval(secs => ?),
         urgent_next_at = case when ? then greatest(b.urgent_next_at, now(), b.paused_until) + make_interval(secs => ?) else b.urgent_next_at end,
         updated_at = now()
       returning greatest(extract(epoch from (case when ? then urgent_next_at else next_at end) - now()) - ?, 0) * 1000 as wait_ms`,
      [spend.budget, seconds, urgent, seconds, seconds, urgent, seconds, urgent, seconds],
    );
    waitMs = Math.max(waitMs, Math.ceil(Number(row?.wait_ms ?? 0)));
  }
  return waitMs;
}

/** The provider answered 429: nothing is sent to these APIs for `ms` (its Retry-After), by any worker. */
export async function pauseBudgets(em: EntityManager, budgets: ProviderBudgetName[], ms: number): Promise<void> {
  for (const budget of budgets) {
    await em.fork().execute(
      `insert into provider_rate_budget as b (name, next_at, urgent_next_at, paused_until, updated_at)
       values (?, now(), now(), now() + make_interval(secs => ?), now())
       on conflict (name) do update set paused_until = greatest(b.paused_until, excluded.paused_until), updated_at = now()`,
      [budget, ms / 1000],
    );
  }
}

/** How long these APIs stay paused (0: not paused). */
export async function pausedForMs(em: EntityManager, budgets: ProviderBudgetName[]): Promise<number> {
  if (!budgets.length) return 0;
  const [row] = await em.fork().execute<{ ms: number | null }[]>(
    `select greatest(extract(epoch from max(paused_until) - now()), 0) * 1000 as ms from provider_rate_budget where name = any(?::text[])`,
    [`{${budgets.join(',')}}`],
  );
  return Math.ceil(Number(row?.ms ?? 0));
}
