/**
 * Emails are stored and compared trimmed, in Unicode's composed form and lower-cased, so that one address is
 * one account or one entry: `ä` typed as one character or as `a` and its accent is the same letter.
 */
export function normaliseEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}
