import { describe, expect, it } from 'vitest';
import { destinationProblem, isPrivateAddress } from './destination.js';

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
    ['93.184.216.34', false],
    ['2606:4700::1111', false],
  ])('%s is private: %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });

  it('lets the operator allow private destinations', async () => {
    expect(await destinationProblem('http://127.0.0.1/x', true)).toBeUndefined();
    expect(await destinationProblem('http://127.0.0.1/x', false)).toMatch(/loopback, private/);
  });
});
