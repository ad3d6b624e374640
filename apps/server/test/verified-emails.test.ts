import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  followEvents,
  freePort,
  type GiveawayFixture,
  linkToken,
  liveGiveaway,
  type Mailbox,
  postCallback,
  signedCallback,
  signupHost,
  startMailbox,
  startServer,
  step,
  type TestServer,
  testEngine,
  trackIdFor,
  uniqueEmail,
} from './support.js';

const FROM = 'Proofdrop <drops@example.com>';

const joinAs = (server: TestServer, slug: string, email: string) =>
  server.request({ method: 'POST', url: `/api/v1/giveaways/${slug}/entries`, payload: { email } });

const follow = (server: TestServer, slug: string, token: string) =>
  server.request({ method: 'POST', url: `/api/v1/giveaways/${slug}/entries/verify`, payload: { token } });

const me = (server: TestServer, slug: string, token: string) =>
  server.request({ method: 'GET', url: `/api/v1/giveaways/${slug}/entries/me`, headers: bearer(token) });

describe(`${testEngine}: verified emails need outgoing mail`, () => {
  it('refuses requireVerifiedEmail on a server without SMTP_URL, saying why', async () => {
    const server = await startServer();
    const res = await liveGiveaway(server, { settings: { requireVerifiedEmail: true } }).catch(
      (error: Error) => error,
    );
    expect(String(res)).toMatch(/422.*requireVerifiedEmail needs outgoing mail.*SMTP_URL/);
    // Named as the checkbox's field, so the editor shows it beside the checkbox.
    expect(String(res)).toContain('"fields":[{"field":"requireVerifiedEmail"');
  });
});

describe(`${testEngine}: a giveaway that verifies emails`, () => {
  let server: TestServer;
  let mailbox: Mailbox;
  let giveaway: GiveawayFixture;

  beforeAll(async () => {
    mailbox = await startMailbox();
    server = await startServer({ SMTP_URL: mailbox.url, MAIL_FROM: FROM });
    giveaway = await liveGiveaway(server, { settings: { requireVerifiedEmail: true } });
  });

  it('shows the choice in its public view', async () => {
    const view = await server.request({ method: 'GET', url: `/api/v1/giveaways/${giveaway.slug}` });
    expect(view.json()).toMatchObject({ requireVerifiedEmail: true, entryChallenge: 'none' });
  });

  it('mails a link on joining, counts the entry only once it is followed, and keeps no working link', async () => {
    const email = uniqueEmail('fan');
    const joined = await joinAs(server, giveaway.slug, email);
    expect(joined.statusCode).toBe(201);
    expect(joined.json()).toMatchObject({
      verified: false,
      message: expect.stringMatching(/check your email/),
    });
    const { token } = joined.json();

    const trackId = await trackIdFor(server, { ...joined.json(), cookie: '' }, giveaway.tasks[0].id);
    const counted = await postCallback(server, signedCallback(giveaway.apiKey, trackId, 'sign_up'));
    expect(counted.json()).toMatchObject({
      code: 'completed',
      eligible: false,
      message: expect.stringMatching(/counts once its email address is confirmed/),
    });
    expect((await me(server, giveaway.slug, token)).json()).toMatchObject({
      verified: false,
      verificationRequired: true,
      eligible: false,
    });

    const mail = await mailbox.next(email);
    expect(mail.from?.value).toEqual([{ name: 'Proofdrop', address: 'drops@example.com' }]);
    expect(mail.subject).toMatch(/Confirm your email/);
    const link = linkToken(mail);
    expect(mail.text).toContain(`/g/${giveaway.slug}#verify=${link}`);
    // Neither the outbox nor the links table holds a link that works.
    const stored = JSON.stringify([
      await server.db.selectFrom('mail_messages').selectAll().execute(),
      await server.db.selectFrom('email_links').selectAll().execute(),
    ]);
    expect(stored).not.toContain(link);

    const followed = await follow(server, giveaway.slug, link);
    expect(followed.statusCode).toBe(200);
    expect(followed.json()).toMatchObject({ participantId: joined.json().participantId, verified: true });
    expect(followed.headers['set-cookie']).toBeDefined();
    expect((await me(server, giveaway.slug, followed.json().token)).json()).toMatchObject({
      verified: true,
      eligible: true,
    });

    const again = await follow(server, giveaway.slug, link);
    expect(again.statusCode).toBe(400);
    expect(again.json().message).toMatch(/already used/);

    const stats = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${giveaway.giveawayId}`,
      headers: bearer(giveaway.host.token),
    });
    expect(stats.json().stats.eligible).toBeGreaterThanOrEqual(1);
    const rows = await server.request({
      method: 'GET',
      url: `/api/v1/giveaways/${giveaway.giveawayId}/participants`,
      headers: bearer(giveaway.host.token),
    });
    expect(rows.json().participants.find((p: { email: string }) => p.email === email)).toMatchObject({
      emailVerified: true,
      eligible: true,
    });
  });

  it("ends the entry's open stream when its address is proven, and the proven entry's stream starts verified", async () => {
    if (!server.app.server.listening) await server.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = server.app.server.address() as AddressInfo;
    const email = uniqueEmail('fan');
    const { token } = (await joinAs(server, giveaway.slug, email)).json();
    const stream = await followEvents(
      `http://127.0.0.1:${port}/api/v1/giveaways/${giveaway.slug}/entries/me/events`,
      bearer(token),
    );
    const first = await stream.next('the entry as it is', (event) => event.event === 'progress');
    expect(first.data).toMatchObject({ verified: false, verificationRequired: true });

    const followed = await follow(server, giveaway.slug, linkToken(await mailbox.next(email)));
    expect(followed.statusCode).toBe(200);
    // The proof revoked the token that opened the stream (a browser's page reconnects with its cookie,
    // which the link's answer replaced).
    await step('the stream opened with the revoked token ends', stream.ended);
    const proven = await followEvents(
      `http://127.0.0.1:${port}/api/v1/giveaways/${giveaway.slug}/entries/me/events`,
      bearer(followed.json().token),
    );
    const state = await proven.next('the proven entry', (event) => event.event === 'progress');
    expect(state.data).toMatchObject({ verified: true });
    proven.close();
  });

  it('makes a proven entry eligible at its last task', async () => {
    const email = uniqueEmail('fan');
    await joinAs(server, giveaway.slug, email);
    const followed = await follow(server, giveaway.slug, linkToken(await mailbox.next(email)));
    const trackId = await trackIdFor(server, { ...followed.json(), cookie: '' }, giveaway.tasks[0].id);
    const counted = await postCallback(server, signedCallback(giveaway.apiKey, trackId, 'sign_up'));
    expect(counted.json()).toMatchObject({ code: 'completed', eligible: true });
    expect((await me(server, giveaway.slug, followed.json().token)).json()).toMatchObject({ eligible: true });
  });

  it("does not let a squatter's unverified entry keep the address's owner out", async () => {
    const owner = uniqueEmail('owner');
    const squatter = await joinAs(server, giveaway.slug, owner);
    expect(squatter.statusCode).toBe(201);
    const squatterToken = squatter.json().token;
    // The squatter never sees the link: it went to the owner's mailbox.
    const squattersMail = await mailbox.next(owner);

    server.clock.advance(61_000);
    const ownerJoin = await joinAs(server, giveaway.slug, owner);
    expect(ownerJoin.statusCode).toBe(202);
    expect(ownerJoin.json()).toMatchObject({ ok: true, verified: false });
    expect(ownerJoin.json()).not.toHaveProperty('token');
    const ownersMail = await mailbox.next(owner);

    // The squatter follows the entry live…
    if (!server.app.server.listening) await server.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    const squattersStream = await followEvents(
      `${base}/api/v1/giveaways/${giveaway.slug}/entries/me/events`,
      bearer(squatterToken),
    );
    expect(squattersStream.status).toBe(200);
    await squattersStream.next('the current state', (e) => e.event === 'progress');

    const followed = await follow(server, giveaway.slug, linkToken(ownersMail));
    expect(followed.statusCode).toBe(200);
    expect(followed.json().participantId).toBe(squatter.json().participantId);
    // The entry is the owner's now: the squatter's token no longer opens it, nor keeps its stream open.
    expect((await me(server, giveaway.slug, squatterToken)).statusCode).toBe(401);
    await step("the squatter's stream ends", squattersStream.ended);
    expect((await me(server, giveaway.slug, followed.json().token)).json()).toMatchObject({ verified: true });
    // The earlier link, also in the owner's mailbox, still signs a second browser in.
    expect((await follow(server, giveaway.slug, linkToken(squattersMail))).statusCode).toBe(200);
  });

  it('mails a sign-in link to an address that entered, answering alike for one that did not', async () => {
    const email = uniqueEmail('fan');
    const joined = await joinAs(server, giveaway.slug, email);
    const first = await follow(server, giveaway.slug, linkToken(await mailbox.next(email)));
    server.clock.advance(61_000);

    const ask = (address: string) =>
      server.request({
        method: 'POST',
        url: `/api/v1/giveaways/${giveaway.slug}/entries/link`,
        payload: { email: address },
      });
    const known = await ask(email.toUpperCase());
    const unknown = await ask(uniqueEmail('nobody'));
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(known.json()).toEqual(unknown.json());

    const mail = await mailbox.next(email);
    expect(mail.subject).toMatch(/Your link/);
    const second = await follow(server, giveaway.slug, linkToken(mail));
    expect(second.json().participantId).toBe(joined.json().participantId);
    // Two browsers, both signed in.
    expect((await me(server, giveaway.slug, first.json().token)).statusCode).toBe(200);
    expect((await me(server, giveaway.slug, second.json().token)).statusCode).toBe(200);

    // One link a minute at most, however often it is asked for.
    await ask(email);
    await ask(email);
    const links = await server.db
      .selectFrom('mail_messages')
      .select('created_at')
      .where('participant_id', '=', joined.json().participantId)
      .execute();
    expect(links.filter((l) => l.created_at > server.clock.now - 60_000)).toHaveLength(1);
  });

  it('refuses an expired link and a made-up one, saying so', async () => {
    const email = uniqueEmail('late');
    await joinAs(server, giveaway.slug, email);
    const link = linkToken(await mailbox.next(email));
    server.clock.advance(61 * 60_000);
    const late = await follow(server, giveaway.slug, link);
    expect(late.statusCode).toBe(400);
    expect(late.json().message).toMatch(/expired/);
    const madeUp = await follow(server, giveaway.slug, 'x'.repeat(43));
    expect(madeUp.statusCode).toBe(400);
    expect(madeUp.json().message).toMatch(/not one of this giveaway's/);
  });

  it('mails a link to an entry of a giveaway that does not verify emails, which signs another browser in and leaves the first signed in', async () => {
    const plain = await liveGiveaway(server);
    const view = await server.request({ method: 'GET', url: `/api/v1/giveaways/${plain.slug}` });
    expect(view.json()).toMatchObject({ requireVerifiedEmail: false, mailsEntryLinks: true });
    const features = await server.request({ method: 'GET', url: '/api/v1/features' });
    expect(features.json()).toEqual({ sendsMail: true, fetchesBeacons: false });

    const email = uniqueEmail('phone');
    const joined = await joinAs(server, plain.slug, email);
    expect(joined.statusCode).toBe(201);
    expect(joined.json()).toMatchObject({ verified: true });
    // The other browser's join is refused as before; its page then asks for the link.
    expect((await joinAs(server, plain.slug, email)).json()).toMatchObject({ code: 'already_entered' });
    const asked = await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${plain.slug}/entries/link`,
      payload: { email },
    });
    expect(asked.statusCode).toBe(202);

    const mail = await mailbox.next(email);
    // Nothing waits for this address to be confirmed: the mail only offers the way back.
    expect(mail.subject).toBe(`Your link to "${view.json().title}"`);
    expect(mail.text).not.toMatch(/confirm/i);
    const laptop = await follow(server, plain.slug, linkToken(mail));
    expect(laptop.statusCode).toBe(200);
    expect(laptop.json().participantId).toBe(joined.json().participantId);
    expect((await me(server, plain.slug, laptop.json().token)).statusCode).toBe(200);
    expect((await me(server, plain.slug, joined.json().token)).statusCode).toBe(200);
  });
});

describe(`${testEngine}: entry links need outgoing mail`, () => {
  it('refuses "send me my link" on a server without SMTP_URL, saying why, and tells the page', async () => {
    const server = await startServer();
    const plain = await liveGiveaway(server);
    const view = await server.request({ method: 'GET', url: `/api/v1/giveaways/${plain.slug}` });
    expect(view.json()).toMatchObject({ mailsEntryLinks: false });
    const features = await server.request({ method: 'GET', url: '/api/v1/features' });
    expect(features.json()).toEqual({ sendsMail: false, fetchesBeacons: false });
    const res = await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${plain.slug}/entries/link`,
      payload: { email: uniqueEmail('fan') },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      ok: false,
      code: 'invalid_state',
      message: expect.stringMatching(/sends no mail/),
    });
  });
});

describe(`${testEngine}: winner notices`, () => {
  it('mails each winner when the giveaway is drawn, retrying a refused delivery', async () => {
    const mailbox = await startMailbox();
    const server = await startServer({ SMTP_URL: mailbox.url, MAIL_FROM: FROM });
    const host = await signupHost(server);
    const giveaway = await liveGiveaway(server, {
      host,
      tasks: [],
      settings: { prizes: [{ name: 'A hoodie' }] },
    });
    const emails = [uniqueEmail('w'), uniqueEmail('w')];
    for (const email of emails) expect((await joinAs(server, giveaway.slug, email)).statusCode).toBe(201);
    const auth = bearer(host.token);
    await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${giveaway.giveawayId}/end`,
      headers: auth,
    });

    mailbox.refuseNext(2);
    const drawn = await server.request({
      method: 'POST',
      url: `/api/v1/giveaways/${giveaway.giveawayId}/draw`,
      headers: auth,
    });
    expect(drawn.statusCode).toBe(200);
    const winners = drawn.json().winners as { email: string; rank: number }[];
    expect(winners).toHaveLength(2);

    // Both refused once: still queued, and sent at the next attempt.
    await expect
      .poll(async () =>
        (
          await server.db
            .selectFrom('mail_messages')
            .select('attempts')
            .where('kind', '=', 'winner')
            .execute()
        ).map((m) => m.attempts),
      )
      .toEqual([1, 1]);
    server.clock.advance(10_000);
    await server.services.mail?.deliverDue();
    for (const winner of winners) {
      const mail = await mailbox.next(winner.email);
      expect(mail.subject).toMatch(/You won/);
      expect(mail.text).toContain(`winner #${winner.rank}`);
      if (winner.rank === 1) expect(mail.text).toContain('A hoodie');
    }
  });

  it('never holds a request up when the mail server is unreachable', async () => {
    const closedPort = await freePort();
    const server = await startServer({ SMTP_URL: `smtp://127.0.0.1:${closedPort}`, MAIL_FROM: FROM });
    const giveaway = await liveGiveaway(server, { settings: { requireVerifiedEmail: true } });
    const joined = await joinAs(server, giveaway.slug, uniqueEmail('fan'));
    expect(joined.statusCode).toBe(201);
    await server.services.mail?.deliverDue();
    const queued = await server.db
      .selectFrom('mail_messages')
      .select(['state', 'attempts', 'last_error'])
      .execute();
    expect(queued).toEqual([expect.objectContaining({ state: 'pending', attempts: 1 })]);
  });
});
