import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { License } from '../license/license.entity.ts';

/**
 * Seats in use per license per UTC day, with the seat limit that held that day: written once a
 * day by the seat-snapshot schedule (domain/reports/snapshot-seats.ts), read by the seat usage
 * trend report. Kept for good (one small row per license per day).
 */
export const LicenseSeatDay = defineEntity({
  name: 'LicenseSeatDay',
  tableName: 'license_seat_day',
  indexes: [{ name: 'license_seat_day_day_index', properties: ['day'] }],
  properties: {
    license: () => p.manyToOne(License).deleteRule('cascade').primary(),
    day: p.string().columnType('date').primary(),
    seatsInUse: p.integer(),
    /** null: unlimited seats that day. */
    seatLimit: p.integer().nullable(),
  },
});

export type LicenseSeatDayEntity = InferEntity<typeof LicenseSeatDay>;
