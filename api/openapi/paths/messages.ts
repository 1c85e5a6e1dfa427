import { listLicenseMessagesQuery, listMessagesQuery } from '../../messages/list-messages.ts';
import { operation } from '../operation.ts';
import { MessagePage } from '../schemas/messages.ts';

const tag = 'messages';

/** The outbox (api/messages/message.routes.ts). */
export const messagePaths = {
  '/v1/messages': {
    get: operation({
      tag,
      operationId: 'listMessages',
      summary: 'List outbound messages',
      description: 'Every message the lifecycle sent, is sending or would send: filter by status, event, channel or license. Newest first, one page at a time.',
      scope: 'licenses:read',
      query: listMessagesQuery,
      responses: { 200: { description: 'One page.', schema: MessagePage } },
    }),
  },
  '/v1/licenses/{id}/messages': {
    get: operation({
      tag,
      operationId: 'listLicenseMessages',
      summary: 'List a license\'s outbound messages',
      scope: 'licenses:read',
      pathParams: { id: 'The license id.' },
      query: listLicenseMessagesQuery,
      responses: { 200: { description: 'One page.', schema: MessagePage } },
      problems: ['LICENSE_NOT_FOUND'],
    }),
  },
};
