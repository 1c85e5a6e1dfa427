import * as registered from './actions';
import type { LicenseAction } from './registry';

/** Every registered action, in button order. */
export const LICENSE_ACTIONS: readonly LicenseAction[] = (Object.values(registered) as LicenseAction[]).sort((a, b) => a.order - b.order);

export const findAction = (id: string | null) => LICENSE_ACTIONS.find((action) => action.id === id) ?? null;
