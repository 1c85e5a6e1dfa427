import { Migration } from '@mikro-orm/migrations';

/**
 * Functions for the client hot path, in a schema of their own: MikroORM compares the routines
 * of the entities' schema with its metadata, and these are no part of the entity model. The API
 * calls them as prepared statements (api/validation/hot-path-db.ts).
 *
 * Their queries are index look-ups, and they run with `enable_seqscan = off`: a session keeps the
 * plans it made first, and plans made while `activation` was nearly empty (a new install, a new
 * license) would otherwise scan it whole, ever longer, until autovacuum analyzes it.
 *
 * - license_state(license, plan, product code): a digest of everything the API judges an
 *   activation on (status, dates, overrides, the plan's policy). Snapshots carry it, and
 *   activate() compares it under the row lock, so standing and domain/IP locks can be decided in
 *   TypeScript on a snapshot read a moment earlier. `overage_started_at` and `updated_at` are left
 *   out: activations change them, and activate() reads them itself.
 * - seats_in_use(license, seat model, now): countSeatsInUse() of api/activations/seat-usage.ts.
 * - license_snapshot(key hash, now): the row of api/validation/license-snapshot.ts as JSON, with
 *   its digest and its seats in use (of the seat model `seats_model`).
 * - live_activation(license, fingerprint), user_holds_seat(license, user): validation's look-ups.
 * - activate(…): a whole activation. It locks the license row, checks the digest (STALE when the
 *   license or plan changed since the caller's snapshot), reuses a live activation of the
 *   fingerprint, counts seats, applies the overage rules, inserts the activation and its audit
 *   event, opens or closes the overage window and NOTIFYs API replicas: the lock covers the seat
 *   check and the insert. api/activations/activate-license.ts has the rules in TypeScript.
 * - activate_batch(items, channel): several activate() in one statement and one transaction (one
 *   commit, one NOTIFY lock, one round trip), licenses locked in key-hash order so that batches
 *   running side by side never deadlock.
 */
export class Migration20261122030000_hot_path extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists keywarden_hot_path;`);
    this.addSql(`create or replace function keywarden_hot_path.license_state(l license, p plan, product_code text) returns text
      language sql stable parallel safe as $$
        select md5(row(l.id, l.status, l.plan_id, l.overrides, extract(epoch from l.expires_at), extract(epoch from l.trial_ends_at),
          product_code, p.code, p.tier, p.features, p.seat_limit, p.seat_model, p.overage_seats, p.overage_days, p.term_kind,
          p.term_days, extract(epoch from p.term_ends_at), p.trial_days, p.expiry_grace_days, p.payment_grace_days,
          p.reminder_offsets_days, p.cache_ttl_seconds, p.trial_cache_ttl_seconds, p.allowed_domains, p.allowed_cidrs,
          p.deactivation_limit, p.deactivation_period_days, p.lease_seconds)::text)
      $$;`);

    this.addSql(`create or replace function keywarden_hot_path.seats_in_use(p_license_id uuid, p_seat_model text, p_now timestamptz) returns int
      language plpgsql stable set enable_seqscan = off as $$
      begin
        if p_seat_model = 'NAMED_USER' then
          return (select count(distinct a.user_id) from activation a where a.license_id = p_license_id and a.deactivated_at is null);
        elsif p_seat_model = 'CONCURRENT' then
          return (select count(*) from activation a where a.license_id = p_license_id and a.deactivated_at is null and a.lease_expires_at > p_now);
        end if;
        return (select count(*) from activation a where a.license_id = p_license_id and a.deactivated_at is null);
      end;
      $$;`);

    this.addSql(`create or replace function keywarden_hot_path.license_snapshot(p_key_hash text, p_now timestamptz) returns json
      language plpgsql stable set enable_seqscan = off as $$
      begin
        return (select to_json(s) from (
          select l.id, l.status, l.status_reason, l.overrides, l.expires_at, l.trial_ends_at, l.overage_started_at, l.version,
                 p.id as plan_id, p.code as plan_code, p.name as plan_name, p.tier, pr.code as product_code, c.email as customer_email,
                 p.features, p.seat_limit, p.seat_model, p.overage_seats, p.overage_days, p.term_kind, p.term_days, p.term_ends_at,
                 p.trial_days, p.expiry_grace_days, p.payment_grace_days, p.reminder_offsets_days, p.cache_ttl_seconds,
                 p.trial_cache_ttl_seconds, p.allowed_domains, p.allowed_cidrs, p.deactivation_limit, p.deactivation_period_days,
                 p.lease_seconds, keywarden_hot_path.license_state(l, p, pr.code) as state_hash,
                 m.model as seats_model, keywarden_hot_path.seats_in_use(l.id, m.model, p_now) as seats_in_use
            from license l
            join plan p on p.id = l.plan_id
            join product pr on pr.id = p.product_id
            left join customer c on c.id = l.customer_id
            cross join lateral (select coalesce(l.overrides->>'seatModel', p.seat_model::text) as model) m
           where l.key_hash = p_key_hash) s);
      end;
      $$;`);

    this.addSql(`create or replace function keywarden_hot_path.live_activation(p_license_id uuid, p_fingerprint text)
      returns table (id uuid, fingerprint text, user_id text, lease_expires_at timestamptz)
      language plpgsql stable set enable_seqscan = off as $$
      begin
        return query select a.id, a.fingerprint::text, a.user_id::text, a.lease_expires_at from activation a
          where a.license_id = p_license_id and a.fingerprint = p_fingerprint and a.deactivated_at is null;
      end;
      $$;`);

    this.addSql(`create or replace function keywarden_hot_path.user_holds_seat(p_license_id uuid, p_user text) returns boolean
      language plpgsql stable set enable_seqscan = off as $$
      begin
        return exists (select 1 from activation a where a.license_id = p_license_id and a.user_id = p_user and a.deactivated_at is null);
      end;
      $$;`);

    this.addSql(`create or replace function keywarden_hot_path.activate(
        p_key_hash text, p_state text, p_fingerprint text, p_kind text, p_name text, p_hostname text, p_platform text,
        p_ip text, p_domain text, p_user text, p_now timestamptz, p_lease_expires_at timestamptz, p_seat_model text,
        p_seat_limit int, p_overage_seats int, p_overage_days int, p_activation_id uuid, p_audit_id uuid, p_channel text)
      returns table (o_outcome text, o_license_id uuid, o_activation_id uuid, o_seats int)
      language plpgsql volatile set enable_seqscan = off as $$
      declare
        v_license_id uuid;
        v_overage_started_at timestamptz;
        v_state text;
        v_existing_id uuid;
        v_existing_lease timestamptz;
        v_seats int;
        v_takes boolean;
        v_after int;
        v_over boolean;
      begin
        select l.id, l.overage_started_at, keywarden_hot_path.license_state(l, p, pr.code)
          into v_license_id, v_overage_started_at, v_state
          from license l join plan p on p.id = l.plan_id join product pr on pr.id = p.product_id
         where l.key_hash = p_key_hash
           for update of l;
        if v_license_id is null then
          return query select 'NOT_FOUND'::text, null::uuid, null::uuid, null::int;
          return;
        end if;
        if v_state is distinct from p_state then
          return query select 'STALE'::text, v_license_id, null::uuid, null::int;
          return;
        end if;

        select a.id, a.lease_expires_at into v_existing_id, v_existing_lease
          from activation a where a.license_id = v_license_id and a.fingerprint = p_fingerprint and a.deactivated_at is null;
        if v_existing_id is not null and (v_existing_lease is null or v_existing_lease > p_now) then
          update activation set last_seen_at = p_now, lease_expires_at = coalesce(p_lease_expires_at, lease_expires_at), ip = coalesce(p_ip, ip)
           where id = v_existing_id;
          return query select 'EXISTING'::text, v_license_id, v_existing_id, keywarden_hot_path.seats_in_use(v_license_id, p_seat_model, p_now);
          return;
        end if;

        v_seats := keywarden_hot_path.seats_in_use(v_license_id, p_seat_model, p_now);
        v_takes := not (p_seat_model = 'NAMED_USER' and keywarden_hot_path.user_holds_seat(v_license_id, p_user));
        v_after := v_seats + case when v_takes then 1 else 0 end;
        -- overageTolerated() of api/validation/evaluate-license.ts, on the locked row.
        if p_seat_limit is not null and v_takes and v_after > p_seat_limit and (
             v_after > p_seat_limit + p_overage_seats
             or p_now >= coalesce(v_overage_started_at, p_now) + make_interval(secs => p_overage_days * 86400.0)) then
          return query select 'SEAT_LIMIT'::text, v_license_id, null::uuid, v_seats;
          return;
        end if;

        -- A lapsed lease of this fingerprint is closed and replaced by a fresh activation.
        if v_existing_id is not null then
          update activation set deactivated_at = p_now, deactivated_by = 'lease-expired' where id = v_existing_id;
        end if;
        insert into activation (id, license_id, fingerprint, kind, name, hostname, platform, ip, domain, user_id, first_seen_at, last_seen_at, lease_expires_at)
        values (p_activation_id, v_license_id, p_fingerprint, p_kind::activation_kind, p_name, p_hostname, p_platform, p_ip, p_domain, p_user,
                p_now, p_now, p_lease_expires_at);
        -- updateOverageWindow() of api/activations/overage-window.ts.
        v_over := p_seat_limit is not null and v_after > p_seat_limit;
        if v_over and v_overage_started_at is null then
          update license set overage_started_at = p_now, updated_at = now() where id = v_license_id;
        elsif not v_over and v_overage_started_at is not null then
          update license set overage_started_at = null, updated_at = now() where id = v_license_id;
        end if;
        insert into audit_event (id, license_id, actor, action, reason, before, after, created_at)
        values (p_audit_id, v_license_id, 'client', 'activation.created', null, null,
                jsonb_build_object('activation_id', p_activation_id, 'fingerprint', p_fingerprint, 'seats_in_use', v_after), now());
        perform pg_notify(p_channel, v_license_id::text);
        return query select 'CREATED'::text, v_license_id, p_activation_id, v_after;
      end;
      $$;`);

    this.addSql(`create or replace function keywarden_hot_path.activate_batch(p_items jsonb, p_channel text)
      returns table (o_index int, o_outcome text, o_license_id uuid, o_activation_id uuid, o_seats int)
      language plpgsql volatile set enable_seqscan = off as $$
      declare
        r record;
      begin
        for r in select (e.ordinality - 1)::int as i, e.value as v from jsonb_array_elements(p_items) with ordinality e
                  order by e.value->>'key_hash', e.ordinality
        loop
          return query select r.i, a.o_outcome, a.o_license_id, a.o_activation_id, a.o_seats
            from keywarden_hot_path.activate(r.v->>'key_hash', r.v->>'state', r.v->>'fingerprint', r.v->>'kind', r.v->>'name',
              r.v->>'hostname', r.v->>'platform', r.v->>'ip', r.v->>'domain', r.v->>'user', (r.v->>'now')::timestamptz,
              (r.v->>'lease_expires_at')::timestamptz, r.v->>'seat_model', (r.v->>'seat_limit')::int, (r.v->>'overage_seats')::int,
              (r.v->>'overage_days')::int, (r.v->>'activation_id')::uuid, (r.v->>'audit_id')::uuid, p_channel) a;
        end loop;
      end;
      $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop schema if exists keywarden_hot_path cascade;`);
  }
}
