import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * Failed sign-ins per account (by e-mail, known or not, so a lockout reveals nothing) and per
 * IP, in Postgres so every API replica counts the same. Keys are keyed hashes, not addresses.
 */
export const SignInThrottle = defineEntity({
  name: 'SignInThrottle',
  tableName: 'sign_in_throttle',
  properties: {
    /** `account:<hash>` or `ip:<hash>`. */
    key: p.string().length(80).primary(),
    failures: p.integer(),
    windowStartedAt: p.datetime(),
    lockedUntil: p.datetime().nullable(),
  },
});

export type SignInThrottleEntity = InferEntity<typeof SignInThrottle>;
