export { idParam } from '../../domain/ids.ts';

export const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

/** A resource as the audit trail records it: its fields, without the bookkeeping timestamps. */
export function auditView<T extends { created_at?: unknown; updated_at?: unknown }>(resource: T): Omit<T, 'created_at' | 'updated_at'> {
  const { created_at: _created, updated_at: _updated, ...view } = resource;
  return view;
}
