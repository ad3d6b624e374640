import { describe, expect, it } from 'vitest';
import { bearer, type GiveawayFixture, join, liveGiveaway, startServer, type TestServer } from './support.js';

/** The host ends the giveaway, then draws it: the draw's answer. */
async function endAndDraw(server: TestServer, fixture: GiveawayFixture) {
  const auth = bearer(fixture.host.token);
  await server.request({ method: 'POST', url: `/api/v1/giveaways/${fixture.giveawayId}/end`, headers: auth });
  return server.request({
    method: 'POST',
    url: `/api/v1/giveaways/${fixture.giveawayId}/draw`,
    headers: auth,
  });
}

describe('exports', () => {
  it('streams 100,000 entries as CSV and JSON, with winner ranks, and the winners alone in rank order', async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server, { winnerMode: 'lucky_draw' });
    const auth = bearer(fixture.host.token);
    const total = 100_000;
    const at = server.clock.now;
    for (let from = 0; from < total; from += 2000) {
      await server.db
        .insertInto('participants')
        .values(
          Array.from({ length: 2000 }, (_, k) => {
            const i = from + k;
            return {
              id: `pt_bulk${String(i).padStart(6, '0')}`,
              giveaway_id: fixture.giveawayId,
              email: `fan${i}@example.com`,
              token_hash: `hash${i}`,
              created_at: at + i,
              // Every thousandth entrant completed the task.
              eligible_at: i % 1000 === 0 ? at + i : null,
            };
          }),
        )
        .execute();
    }
    const drawn = await endAndDraw(server, fixture);
    const winners = drawn.json().winners as { participantId: string; rank: number }[];
    expect(winners).toHaveLength(3);

    const csv = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${fixture.giveawayId}/participants?format=csv`,
      headers: auth,
    });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines).toHaveLength(total + 1);
    expect(lines[1]).toMatch(/^pt_bulk000000,fan0@example.com,/);
    expect(lines.at(-1)).toMatch(/^pt_bulk099999,/);
    const ranked = lines.slice(1).filter((l) => l.split(',')[5] !== '');
    expect(ranked).toHaveLength(3);

    const json = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${fixture.giveawayId}/participants`,
      headers: auth,
    });
    const parsed = json.json().participants as {
      participantId: string;
      winnerRank: number | null;
      eligible: boolean;
    }[];
    expect(parsed).toHaveLength(total);
    expect(parsed.filter((p) => p.eligible)).toHaveLength(100);

    const onlyWinners = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${fixture.giveawayId}/winners`,
      headers: auth,
    });
    expect(
      onlyWinners
        .json()
        .winners.map((w: { participantId: string; winnerRank: number }) => [w.participantId, w.winnerRank]),
    ).toEqual(winners.map((w) => [w.participantId, w.rank]));
    const winnersCsv = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${fixture.giveawayId}/winners?format=csv`,
      headers: auth,
    });
    expect(winnersCsv.body.trimEnd().split('\r\n')).toHaveLength(4);
  }, 60_000);

  it("names each winner's prize by rank, in the draw's answer and both winners exports: none past the list", async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server, {
      tasks: [],
      winnerMode: 'first_come',
      settings: { prizes: [{ name: 'Gold' }, { name: 'Silver, 1 oz', description: 'a coin' }] },
    });
    const auth = bearer(fixture.host.token);
    const fans = [];
    for (let i = 0; i < 4; i++) {
      fans.push(await join(server, fixture.slug));
      server.clock.advance(1000);
    }
    const drawn = await endAndDraw(server, fixture);
    expect(drawn.statusCode, drawn.body).toBe(200);
    // First come: the first three to join (and so to become eligible) win, in that order.
    const expected = [
      { participantId: fans[0]?.participantId, rank: 1, prize: 'Gold' },
      { participantId: fans[1]?.participantId, rank: 2, prize: 'Silver, 1 oz' },
      { participantId: fans[2]?.participantId, rank: 3, prize: null },
    ];
    expect(drawn.json().winners).toEqual(expected.map((w) => ({ ...w, email: expect.any(String) })));

    const json = await server.request({
      url: `/api/v1/giveaways/${fixture.giveawayId}/winners`,
      headers: auth,
    });
    expect(
      json.json().winners.map((w: { participantId: string; winnerRank: number; prize: string | null }) => ({
        participantId: w.participantId,
        rank: w.winnerRank,
        prize: w.prize,
      })),
    ).toEqual(expected);

    const csv = await server.request({
      url: `/api/v1/giveaways/${fixture.giveawayId}/winners?format=csv`,
      headers: auth,
    });
    const [header, ...rows] = csv.body.trimEnd().split('\r\n');
    expect(header).toBe(
      'participantId,email,joinedAt,eligible,eligibleAt,winnerRank,prize,emailVerified,networkEntries,disposableEmail',
    );
    expect(rows.map((row) => row.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).slice(5, 7))).toEqual([
      ['1', 'Gold'],
      ['2', '"Silver, 1 oz"'],
      ['3', ''],
    ]);

    // Everyone's export names the prize of each winner, and none for an entry that did not win.
    const everyone = await server.request({
      url: `/api/v1/giveaways/${fixture.giveawayId}/participants`,
      headers: auth,
    });
    expect(
      everyone
        .json()
        .participants.map((p: { winnerRank: number | null; prize: string | null }) => [
          p.winnerRank,
          p.prize,
        ]),
    ).toEqual([
      [1, 'Gold'],
      [2, 'Silver, 1 oz'],
      [3, null],
      [null, null],
    ]);
  });

  it('has no winners before the draw', async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server);
    const res = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${fixture.giveawayId}/winners`,
      headers: bearer(fixture.host.token),
    });
    expect(res.json()).toEqual({ winners: [] });
  });

  it('a CSV export cannot smuggle a formula: semicolons are quoted, quote-led formulas neutralised', async () => {
    const server = await startServer();
    const fixture = await liveGiveaway(server);
    // Addresses a participant may legally enter, aimed at whoever opens the export in a spreadsheet.
    await join(server, fixture.slug, 'fan;=1+1@evil.example');
    server.clock.advance(1000);
    await join(server, fixture.slug, '"=2+3"@evil.example');
    const csv = await server.request({
      url: `/api/v1/giveaways/${fixture.giveawayId}/participants?format=csv`,
      headers: bearer(fixture.host.token),
    });
    const rows = csv.body.trimEnd().split('\r\n').slice(1);
    expect(rows[0]?.split(',')[1]).toBe('"fan;=1+1@evil.example"');
    expect(rows[1]?.split(',')[1]).toBe(`"'""=2+3""@evil.example"`);
  });
});
