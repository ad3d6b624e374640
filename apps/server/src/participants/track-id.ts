import { randomToken } from '../lib/random.js';

/** 144 random bits, base64url: unguessable and safe in a query string. */
export const newTrackId = () => randomToken(18);
