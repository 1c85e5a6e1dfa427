import { z } from 'zod';

/** A resource id as inputs carry it. */
export const idParam = z.uuid({ message: 'must be an id (UUID)' });
