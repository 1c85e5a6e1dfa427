export { idParam } from '../../domain/ids.ts';

export const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);
