/** Emails are stored and compared trimmed and lower-cased, so that one address is one account or one entry. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
