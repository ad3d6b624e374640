import { describe, expect, it } from 'vitest';
import { destinationProblem, isPrivateAddress, type Resolve, systemResolve } from './destination.js';

describe('webhook destinations', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.0.0.5', true],
    ['172.20.1.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['::1', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['64:ff9b::7f00:1', true],
    ['64:ff9b::a9fe:a9fe', true],
    ['::127.0.0.1', true],
    ['2002:7f00:1::', true],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', true],
    ['93.184.216.34', false],
    ['2606:4700::1111', false],
  ])('%s is private: %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });

  const guard = (allowPrivate: boolean, resolve: Resolve = systemResolve) => ({
    allowPrivate,
    resolve,
    dnsTimeoutMs: 50,
  });

  it('refuses port 0, which no server listens on', async () => {
    expect(await destinationProblem('http://93.184.216.34:0/x', guard(false))).toMatch(/port 0/);
  });

  it('lets the operator allow private destinations', async () => {
    expect(await destinationProblem('http://127.0.0.1/x', guard(true))).toBeUndefined();
    expect(await destinationProblem('http://127.0.0.1/x', guard(false))).toMatch(/loopback, private/);
    expect(await destinationProblem('http://[64:ff9b::7f00:1]/x', guard(false))).toMatch(/loopback, private/);
  });

  it('refuses a name when any of its addresses is private', async () => {
    const resolve: Resolve = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.1', family: 4 },
    ];
    expect(await destinationProblem('https://hooks.example/x', guard(false, resolve))).toMatch(
      /hooks\.example is a loopback, private/,
    );
  });

  it('gives up on a lookup that does not answer', async () => {
    const never: Resolve = () => new Promise(() => {});
    expect(await destinationProblem('https://hooks.example/x', guard(false, never))).toBe(
      'the host name hooks.example did not resolve within 50 ms',
    );
  });
});
