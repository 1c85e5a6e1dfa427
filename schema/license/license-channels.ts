/**
 * Postgres NOTIFY channels that tell API replicas a license may validate differently: each
 * replica LISTENs and drops what its validation cache holds. Sent in the writing transaction,
 * so the notification arrives after the commit.
 */

/** A license row or its activations changed (payload: the license id). */
export const LICENSE_CHANGED_CHANNEL = 'keywarden_license_changed';
/** A plan's policy changed: every license on it may validate differently (payload: the plan id). */
export const PLAN_CHANGED_CHANNEL = 'keywarden_plan_changed';
