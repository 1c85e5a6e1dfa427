import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AdminCommand, LicenseState } from './license-state.ts';

/** Admin operations: synchronous, validated updates that return the license's new state. */
export const revokeUpdate = defineUpdate<LicenseState, [AdminCommand]>('revoke');

/** The license's current state as the workflow sees it. */
export const stateQuery = defineQuery<LicenseState>('state');
