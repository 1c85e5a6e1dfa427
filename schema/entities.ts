import { AuditEvent } from './audit/audit-event.entity.ts';
import { ApiToken } from './auth/api-token.entity.ts';
import { License } from './license/license.entity.ts';

export const entities = [License, AuditEvent, ApiToken];
export { AuditEvent, ApiToken, License };
