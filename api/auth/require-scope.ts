/**
 * Admin routes are guarded by the route table (`route-rules.ts`) through one middleware
 * (`authorize.ts`); this name stays for the handlers that read the caller's actor.
 */
export type { Principal as AdminPrincipal } from './principal.ts';
