import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** Settings staff change at run time (not deployment configuration): one row per key. */
export const Setting = defineEntity({
  name: 'Setting',
  tableName: 'setting',
  properties: {
    key: p.string().length(100).primary(),
    value: p.json<unknown>(),
    updatedAt: p.datetime(),
  },
});

export type SettingEntity = InferEntity<typeof Setting>;
