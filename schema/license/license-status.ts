/** The lifecycle states a license can be in. The license workflow owns every transition. */
export const LICENSE_STATUSES = ['TRIALING', 'ACTIVE', 'PAST_DUE', 'SUSPENDED', 'EXPIRED', 'REVOKED'] as const;
export type LicenseStatus = (typeof LICENSE_STATUSES)[number];

/** The reason a license is suspended when its payment grace runs out (billing may lift it; nothing else does). */
export const SUSPENDED_FOR_NON_PAYMENT = 'payment grace ended without payment';

/** States the license never leaves. */
export const TERMINAL_STATUSES: readonly LicenseStatus[] = ['REVOKED'];
