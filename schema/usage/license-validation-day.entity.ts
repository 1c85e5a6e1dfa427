import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { License } from '../license/license.entity.ts';

/**
 * Validations per license per UTC day. The API counts in memory and adds its counts here in
 * one statement every few seconds (api/validation/validation-counter.ts), so the hot path
 * never writes; renewal tasks read the last 30 and 90 days.
 */
export const LicenseValidationDay = defineEntity({
  name: 'LicenseValidationDay',
  tableName: 'license_validation_day',
  properties: {
    license: () => p.manyToOne(License).deleteRule('cascade').primary(),
    day: p.string().columnType('date').primary(),
    count: p.bigint('number').default(0),
  },
});

export type LicenseValidationDayEntity = InferEntity<typeof LicenseValidationDay>;
