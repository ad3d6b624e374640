import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { verifyWebhook } from '../src/index.js';

const secret = `whsec_${randomBytes(24).toString('base64')}`;
const library = new Webhook(secret);
const body = JSON.stringify({
  type: 'participant.eligible',
  timestamp: '2030-01-01T00:00:00.000Z',
  data: { giveawayId: 'gw_1', participantId: 'pt_1' },
});

/** Headers as the Standard Webhooks library signs them, for a message sent `ageS` seconds ago. */
function signed(payload: string, ageS = 0, id = 'msg_1') {
  const at = new Date(Date.now() - ageS * 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': library.sign(id, at, payload),
  };
}

/** What the library says of a delivery: the event, or the error it throws. */
function libraryVerdict(payload: string, headers: Record<string, string>) {
  try {
    return { event: library.verify(payload, headers) };
  } catch {
    return { error: true };
  }
}

function ourVerdict(payload: string | Uint8Array | ArrayBuffer, headers: Record<string, string> | Headers) {
  try {
    return { event: verifyWebhook(secret, payload, headers) };
  } catch (error) {
    expect(error).toMatchObject({ name: 'ProofdropError', code: 'webhook_invalid' });
    return { error: true };
  }
}

describe('verifyWebhook agrees with the standardwebhooks library', () => {
  it('returns the event of a delivery the library signed, from a string, bytes or fetch Headers', () => {
    const headers = signed(body);
    expect(ourVerdict(body, headers)).toEqual(libraryVerdict(body, headers));
    expect(ourVerdict(Buffer.from(body), headers).event).toEqual(JSON.parse(body));
    expect(ourVerdict(body, new Headers(headers)).event).toEqual(JSON.parse(body));
    const shouting = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(ourVerdict(body, shouting).event).toEqual(JSON.parse(body));
  });

  it('accepts when any of several signatures matches (a secret being rotated)', () => {
    const headers = signed(body);
    headers['webhook-signature'] = `v1,${randomBytes(32).toString('base64')} ${headers['webhook-signature']}`;
    expect(ourVerdict(body, headers)).toEqual(libraryVerdict(body, headers));
    expect(ourVerdict(body, headers).event).toBeDefined();
  });

  const refused: [string, () => [string, Record<string, string>]][] = [
    ['a body changed after signing', () => [body.replace('pt_1', 'pt_2'), signed(body)]],
    [
      'another secret',
      () => [
        body,
        {
          ...signed(body),
          'webhook-signature': new Webhook(`whsec_${randomBytes(24).toString('base64')}`).sign(
            'msg_1',
            new Date(),
            body,
          ),
        },
      ],
    ],
    ['a changed message id', () => [body, { ...signed(body), 'webhook-id': 'msg_2' }]],
    ['a timestamp over five minutes old', () => [body, signed(body, 5 * 60 + 30)]],
    ['a timestamp over five minutes ahead', () => [body, signed(body, -(5 * 60 + 30))]],
    ['a missing signature header', () => [body, { ...signed(body), 'webhook-signature': '' }]],
    [
      'a signature of another version',
      () => [
        body,
        { ...signed(body), 'webhook-signature': signed(body)['webhook-signature'].replace('v1,', 'v2,') },
      ],
    ],
    [
      'a signature with extra characters',
      () => [body, { ...signed(body), 'webhook-signature': `${signed(body)['webhook-signature']}==` }],
    ],
  ];
  for (const [name, make] of refused) {
    it(`refuses ${name}, as the library does`, () => {
      const [payload, headers] = make();
      expect(libraryVerdict(payload, headers)).toEqual({ error: true });
      expect(ourVerdict(payload, headers)).toEqual({ error: true });
    });
  }

  it('takes bytes made in another realm (a test sandbox), as bytes', async () => {
    const { runInNewContext } = await import('node:vm');
    const foreign = runInNewContext('new Uint8Array(length)', { length: body.length }) as Uint8Array;
    foreign.set(Buffer.from(body));
    expect(foreign instanceof Uint8Array).toBe(false);
    expect(ourVerdict(foreign, signed(body)).event).toEqual(JSON.parse(body));
  });

  it('takes an ArrayBuffer, as a fetch Request.arrayBuffer() gives it', () => {
    const bytes = new TextEncoder().encode(body);
    expect(ourVerdict(bytes.buffer, signed(body)).event).toEqual(JSON.parse(body));
  });

  it('refuses a body already parsed into an object, saying to pass the raw one', () => {
    const headers = signed(body);
    expect(() => verifyWebhook(secret, JSON.parse(body), headers)).toThrow(
      expect.objectContaining({
        code: 'webhook_invalid',
        message: expect.stringMatching(/raw request body.*given parsed/),
      }),
    );
    // What express.raw() leaves without a matching type: no parser read the body.
    expect(() => verifyWebhook(secret, {} as never, headers)).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/empty object.*no body parser read it/) }),
    );
  });

  it('accepts a timestamp within five minutes either way, as the library does', () => {
    for (const ageS of [4 * 60 + 50, -(4 * 60 + 50)]) {
      const headers = signed(body, ageS);
      expect(libraryVerdict(body, headers).event).toBeDefined();
      expect(ourVerdict(body, headers).event).toEqual(JSON.parse(body));
    }
  });
});
