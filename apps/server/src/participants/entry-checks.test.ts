import { describe, expect, it } from 'vitest';
import { isDisposableEmail } from './disposable-email.js';
import { networkBucket } from './network-bucket.js';

describe('network bucket of a join address', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0/24'],
    ['::ffff:203.0.113.77', '203.0.113.0/24'],
    ['2001:db8:1:2::5', '2001:db8:1::/48'],
    ['2001:0db8:0001:ffff:0:0:0:1', '2001:db8:1::/48'],
    ['2001:db8::1', '2001:db8:0::/48'],
    ['::1', '0:0:0::/48'],
    ['fe80::1%eth0', 'fe80:0:0::/48'],
    ['64:ff9b::203.0.113.5', '64:ff9b:0::/48'],
  ])('%s is in %s', (address, bucket) => {
    expect(networkBucket(address)).toBe(bucket);
  });

  it('keeps no bucket for what is not an IP address', () => {
    expect(networkBucket('localhost')).toBeUndefined();
    expect(networkBucket('')).toBeUndefined();
  });
});

describe('disposable email domains', () => {
  it('flags a listed domain and its subdomains, in any case', () => {
    expect(isDisposableEmail('someone@mailinator.com')).toBe(true);
    expect(isDisposableEmail('someone@Inbox.MAILINATOR.com')).toBe(true);
  });

  it('leaves ordinary domains alone', () => {
    expect(isDisposableEmail('ada@example.com')).toBe(false);
    expect(isDisposableEmail('ada@gmail.com')).toBe(false);
  });
});
