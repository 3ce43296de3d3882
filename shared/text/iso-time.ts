/** Times the console itself writes cross the contract as ISO 8601 with an offset (Date.toISOString()). */
import { z } from 'zod';

export const isoTimeSchema = z.iso.datetime({ offset: true });
