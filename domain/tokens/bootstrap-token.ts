/** The token ADMIN_TOKEN sets: a service token with every scope, for automation. */
export const BOOTSTRAP_TOKEN_NAME = 'bootstrap-admin';
export const BOOTSTRAP_TOKEN_SERVICE = 'automation';
