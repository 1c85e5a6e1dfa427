import { isApiError } from '@web/api/api-error';

/** What a key operation's dialog says when the API refused: the field's message, else the detail and its code. */
export function failureText(failure: unknown, field = 'reason'): Error {
  if (!isApiError(failure)) return failure instanceof Error ? failure : new Error(String(failure));
  return new Error(failure.fieldMessage(field) ?? `${failure.detail} (${failure.code})`);
}

/** Overlap windows offered for a rotation: the API takes any number of seconds up to 7 days. */
export const OVERLAPS = [
  { seconds: 0, label: 'None: the old key stops at once' },
  { seconds: 3_600, label: '1 hour' },
  { seconds: 86_400, label: '1 day' },
  { seconds: 3 * 86_400, label: '3 days' },
  { seconds: 7 * 86_400, label: '7 days (the longest)' },
] as const;
