import { describe, expect, it } from 'vitest';
import { proofApiUrl } from './proof-address.js';

describe('proofApiUrl', () => {
  it('reads the proof page and the giveaway page as the proof they show', () => {
    const api = 'https://drops.example/api/v1/giveaways/summer-drop-x1/draw';
    expect(proofApiUrl('https://drops.example/g/summer-drop-x1/proof')).toBe(api);
    expect(proofApiUrl('https://drops.example/g/summer-drop-x1/proof/')).toBe(api);
    expect(proofApiUrl('https://drops.example/g/summer-drop-x1?utm=x#winners')).toBe(api);
    expect(proofApiUrl('http://localhost:3000/prefix/g/s/proof')).toBe(
      'http://localhost:3000/prefix/api/v1/giveaways/s/draw',
    );
  });

  it('leaves the API address, and any other, as it is', () => {
    const api = 'https://drops.example/api/v1/giveaways/summer-drop-x1/draw';
    expect(proofApiUrl(api)).toBe(api);
    expect(proofApiUrl('https://elsewhere.example/proof.json')).toBe('https://elsewhere.example/proof.json');
  });
});
