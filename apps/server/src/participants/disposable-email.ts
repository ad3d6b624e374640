import { disposableEmailBlocklist } from 'disposable-email-domains-js';

/** The community blocklist of throwaway-mail domains, shipped inside the package: no network at run time. */
let domains: ReadonlySet<string> | undefined;

/**
 * Whether the address is at a known disposable-mail domain or one of its subdomains. A signal for the host
 * reviewing entries, never a refusal: plenty of honest people use such services.
 */
export function isDisposableEmail(email: string): boolean {
  domains ??= new Set(disposableEmailBlocklist().map((d) => d.toLowerCase()));
  const labels = email
    .slice(email.lastIndexOf('@') + 1)
    .toLowerCase()
    .split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    if (domains.has(labels.slice(i).join('.'))) return true;
  }
  return false;
}
