import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Product } from '../product/product.entity.ts';
import { SEAT_MODELS, TERM_KINDS, type Features, type LicensePolicy } from './plan-policy.ts';

/** The policy licenses inherit (see plan-policy.ts for what each field means). */
export const Plan = defineEntity({
  name: 'Plan',
  tableName: 'plan',
  uniques: [{ name: 'plan_product_code_unique', properties: ['product', 'code'] }],
  properties: {
    id: p.uuid().primary(),
    product: () => p.manyToOne(Product).deleteRule('restrict'),
    code: p.string().length(100),
    name: p.string().length(200),
    tier: p.string().length(100),
    features: p.json<Features>().default('{}'),
    seatLimit: p.integer().nullable(),
    seatModel: p.enum(SEAT_MODELS).nativeEnumName('seat_model').default('DEVICE'),
    overageSeats: p.integer().default(0),
    overageDays: p.integer().default(0),
    termKind: p.enum(TERM_KINDS).nativeEnumName('term_kind').default('PERPETUAL'),
    termDays: p.integer().nullable(),
    termEndsAt: p.datetime().nullable(),
    trialDays: p.integer().nullable(),
    expiryGraceDays: p.integer().default(0),
    paymentGraceDays: p.integer().default(7),
    reminderOffsetsDays: p.json<number[]>().default('[90,30,14,7,0]'),
    cacheTtlSeconds: p.integer().default(86400),
    trialCacheTtlSeconds: p.integer().default(3600),
    allowedDomains: p.json<string[]>().default('[]'),
    allowedCidrs: p.json<string[]>().default('[]'),
    deactivationLimit: p.integer().nullable(),
    deactivationPeriodDays: p.integer().default(30),
    leaseSeconds: p.integer().default(900),
    licenseFileLimit: p.integer().default(5),
    stripePriceIds: p.json<string[]>().default('[]'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export type PlanEntity = InferEntity<typeof Plan>;

export function planPolicy(plan: PlanEntity): LicensePolicy {
  return {
    features: plan.features,
    seatLimit: plan.seatLimit ?? null,
    seatModel: plan.seatModel,
    overageSeats: plan.overageSeats,
    overageDays: plan.overageDays,
    termKind: plan.termKind,
    termDays: plan.termDays ?? null,
    termEndsAt: plan.termEndsAt?.toISOString() ?? null,
    trialDays: plan.trialDays ?? null,
    expiryGraceDays: plan.expiryGraceDays,
    paymentGraceDays: plan.paymentGraceDays,
    reminderOffsetsDays: plan.reminderOffsetsDays,
    cacheTtlSeconds: plan.cacheTtlSeconds,
    trialCacheTtlSeconds: plan.trialCacheTtlSeconds,
    allowedDomains: plan.allowedDomains,
    allowedCidrs: plan.allowedCidrs,
    deactivationLimit: plan.deactivationLimit ?? null,
    deactivationPeriodDays: plan.deactivationPeriodDays,
    leaseSeconds: plan.leaseSeconds,
    licenseFileLimit: plan.licenseFileLimit,
  };
}
