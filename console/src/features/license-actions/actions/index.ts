/**
 * The registered license actions: one line each (an action file exports one LicenseAction;
 * another feature's actions are exported from its own folder the same way). The action bar
 * shows every one whose scope the member holds, in `order`.
 */
export { extendTrial } from './extend-trial';
export { changePlan } from './change-plan';
export { setExpiry } from './set-expiry';
export { renew } from './renew';
export { suspend } from './suspend';
export { reinstate } from './reinstate';
export { freeSeat } from './free-seat';
export { offlineToken } from './offline-token';
export { editTerms } from './edit-terms';
export { revoke } from './revoke';
