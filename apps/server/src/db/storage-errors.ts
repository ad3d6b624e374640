/**
 * Whether an error means the database cannot answer now (down, unreachable, timed out, busy, full), as
 * opposed to a bug: such a failure is a 503 that says to try again, never a 500.
 */
export function isStorageUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // PostgreSQL SQLSTATE classes: 08 connection, 53 resources, 57 operator intervention (timeouts,
    // shutdown), 55P03 lock timeout, 40001/40P01 serialization failure and deadlock.
    if (/^(08|53|57)[0-9A-Z]{3}$/.test(code) || ['55P03', '40001', '40P01'].includes(code)) return true;
    if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN)$/.test(code))
      return true;
    if (/^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|NOMEM|PROTOCOL)/.test(code)) return true;
  }
  return /Connection terminated|timeout exceeded when trying to connect|Query read timeout|driver has already been destroyed|The database connection is not open|not currently accepting connections/i.test(
    error.message,
  );
}
