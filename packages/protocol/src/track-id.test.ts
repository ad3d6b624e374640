import { describe, expect, it } from 'vitest';
import { isTrackId, normalizedLink, trackedUrl, withTrackId } from './track-id.js';

describe('track links', () => {
  it('append track_id and send, keeping the query and the hash', () => {
    expect(trackedUrl('https://a.example/x?ref=g#top', 'T1', 'sign_up')).toBe(
      'https://a.example/x?ref=g&track_id=T1&send=sign_up#top',
    );
    expect(trackedUrl('https://a.example/', 'T1', 'e')).toBe('https://a.example/?track_id=T1&send=e');
    expect(trackedUrl('https://a.example/?', 'T1', 'e')).toBe('https://a.example/?track_id=T1&send=e');
    expect(trackedUrl('https://a.example/#/route?x=1', 'T1', 'e')).toBe(
      'https://a.example/?track_id=T1&send=e#/route?x=1',
    );
  });

  it('normalise a link stored raw, as the URL parser reads it', () => {
    expect(trackedUrl('https://A.example:443/sign\tup\n?ref=a b#top', 'T1', 'e')).toBe(
      'https://a.example/signup?ref=a%20b&track_id=T1&send=e#top',
    );
  });

  it('append to a link normalised once as trackedUrl does to the raw link', () => {
    for (const raw of [
      'https://A.example:443/sign\tup\n?ref=a b#top',
      'https://a.example/?',
      'not a url?x=1',
    ]) {
      expect(withTrackId(normalizedLink(raw), 'T1', 'e')).toBe(trackedUrl(raw, 'T1', 'e'));
    }
    expect(normalizedLink('not a url')).toBe('not a url');
  });
});

describe('track_id rules', () => {
  it('accept printable ASCII without space, & or =, up to 128 characters', () => {
    expect(isTrackId('kq3V9xYh2bQmR7tLp0sWfA')).toBe(true);
    expect(isTrackId("a!#$%'()*+,-./:;<>?@[]^_`{|}~")).toBe(true);
    expect(isTrackId('x'.repeat(128))).toBe(true);
  });

  it('refuse what would make the canonical string ambiguous, and empty or long ids', () => {
    for (const bad of ['a&event=b', 'a=b', 'a b', '', 'x'.repeat(129), 'é'])
      expect(isTrackId(bad)).toBe(false);
  });
});
