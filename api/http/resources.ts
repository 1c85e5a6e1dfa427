import { z } from 'zod';

export const idParam = z.uuid({ message: 'must be an id (UUID)' });

export const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);
