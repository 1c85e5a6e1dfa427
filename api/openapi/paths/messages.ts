import { listLicenseMessagesQuery, listMessagesQuery } from '../../messages/list-messages.ts';
import { operation } from '../operation.ts';
import { Message, MessagePage, RetryMessageRequest } from '../schemas/messages.ts';

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
  '/v1/messages/{id}': {
    get: operation({
      tag,
      operationId: 'getMessage',
      summary: 'Get an outbound message',
      description: 'What it is, to whom, and how its delivery went (its attempts and last error). The payload never holds a license key.',
      scope: 'licenses:read',
      pathParams: { id: 'The outbox message id.' },
      responses: { 200: { description: 'The message.', schema: Message } },
      problems: ['MESSAGE_NOT_FOUND'],
    }),
  },
  '/v1/messages/{id}/retry': {
    post: operation({
      tag,
      operationId: 'retryMessage',
      summary: 'Send a message again',
      description:
        'For a message whose delivery ended unsent (FAILED, or NOT_SENT while no provider was configured): back to PENDING and a new delivery run under the message\'s own workflow id, so never two at once. Audited (`message.retried`, with the reason). Should the run not start, the message keeps its status and the trail says so (`message.retry_failed`).',
      scope: 'messages:retry',
      pathParams: { id: 'The outbox message id.' },
      body: { schema: RetryMessageRequest, required: true },
      responses: { 202: { description: 'Delivery started again: the message, PENDING.', schema: Message } },
      problems: ['MESSAGE_NOT_FOUND', 'MESSAGE_NOT_RETRYABLE', 'MESSAGE_DELIVERY_BUSY', 'LIFECYCLE_UNAVAILABLE'],
    }),
  },
  '/v1/messages/{id}/send-now': {
    post: operation({
      tag,
      operationId: 'sendMessageNow',
      summary: 'Send a pending message now',
      description:
        'For a PENDING message whose delivery waits to try again (its backoff after a failure, or the provider\'s Retry-After): the wait ends, and the delivery takes a new send time within the provider\'s rate limit and sends. A message whose delivery is not running gets one. Audited (`message.send_requested`, with the reason, before the delivery is asked; `message.send_request_failed` with why if it refuses or Temporal does not answer). A delivery giving up refuses: `MESSAGE_CANNOT_SEND_NOW`. A FAILED or NOT_SENT message is retried instead (`POST /v1/messages/{id}/retry`).',
      scope: 'messages:retry',
      pathParams: { id: 'The outbox message id.' },
      body: { schema: RetryMessageRequest, required: true },
      responses: { 202: { description: 'The delivery was asked to send now: the message, PENDING until it is sent.', schema: Message } },
      problems: ['MESSAGE_NOT_FOUND', 'MESSAGE_NOT_PENDING', 'MESSAGE_CANNOT_SEND_NOW', 'LIFECYCLE_UNAVAILABLE'],
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
