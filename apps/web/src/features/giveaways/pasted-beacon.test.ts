import { describe, expect, it } from 'vitest';
import { readPastedBeacon } from './pasted-beacon';

const SIGNATURE =
  'b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39';

describe("a draw's pasted drand round", () => {
  it("takes a relay's whole answer, or the signature alone", () => {
    const relay = JSON.stringify({ round: 1000, randomness: 'ab', signature: SIGNATURE.toUpperCase() });
    expect(readPastedBeacon(relay, 1000)).toEqual({ beacon: { round: 1000, signature: SIGNATURE } });
    expect(readPastedBeacon(`  ${SIGNATURE}\n`, 1000)).toEqual({
      beacon: { round: 1000, signature: SIGNATURE },
    });
  });

  it('is nothing when nothing is pasted, so the server fetches the round', () => {
    expect(readPastedBeacon('  ', 1000)).toBeUndefined();
  });

  it('says what is wrong with another round, a page of the relay that is not JSON, no signature or a malformed one', () => {
    expect(readPastedBeacon(JSON.stringify({ round: 999, signature: SIGNATURE }), 1000)).toEqual({
      error: 'This is round 999; this draw takes round 1000.',
    });
    expect(readPastedBeacon('<html>not found</html>', 1000)).toMatchObject({
      error: expect.stringMatching(/round 1000/),
    });
    expect(readPastedBeacon('{"round":1000}', 1000)).toMatchObject({
      error: expect.stringMatching(/no signature/),
    });
    expect(readPastedBeacon('{"round":1000,"signature":"00"}', 1000)).toEqual({
      error:
        "This signature is not a quicknet round's (96 hexadecimal characters): paste the relay's answer for round 1000 as it is.",
    });
    // The round's number alone, or a signature cut short, is not a signature.
    expect(readPastedBeacon('1000', 1000)).toMatchObject({ error: expect.stringMatching(/no signature/) });
    expect(readPastedBeacon(SIGNATURE.slice(2), 1000)).toMatchObject({
      error: expect.stringMatching(/round 1000/),
    });
  });
});
