import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { ProofdropClient } from '@proofdrop/sdk';
import { articlesPage, depositPage, logInPage, notFoundPage, signUpPage } from './pages.js';
import { ARTICLES, type Session, Store, type User } from './store.js';

// Proofdrop: the SDK's browser module, served to the pages as a plain file (it has no imports).
const browserModule = readFileSync(fileURLToPath(import.meta.resolve('@proofdrop/sdk/browser')));

export type ShopOptions = {
  /** Proofdrop's client for this shop's project, or undefined to run the shop without a giveaway. */
  proofdrop: ProofdropClient | undefined;
  /** Where each callback's verdict goes; the console by default. */
  log?: (line: string) => void;
};

type Request = { req: IncomingMessage; res: ServerResponse; session: Session; user: User | undefined };

/** The shop: articles to like, an account to create, deposits to make. */
export function createShop({ proofdrop, log = console.log }: ShopOptions): Server {
  const store = new Store();

  /**
   * Proofdrop: proves to the giveaway that this participant did `event`. Only visitors who came from a
   * giveaway have a track_id. The remark names the unit (the user, the article, the deposit), which is
   * what makes the SDK's retries safe: the same remark counts once.
   */
  function reportToProofdrop(trackId: string | undefined, event: string, remark: string): void {
    if (!proofdrop || !trackId) return;
    // Not awaited: the shopper's action must neither wait for nor fail with the giveaway. The SDK retries
    // on its own; what it cannot deliver is logged here (a real shop might queue it for later).
    proofdrop.sendCallback({ trackId, event, remark }).then(
      (verdict) => log(`proofdrop ${event} ${remark}: ${verdict.code} (${verdict.message})`),
      (error: Error) => log(`proofdrop ${event} ${remark}: not delivered: ${error.message}`),
    );
  }

  async function route({ req, res, session, user }: Request): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://shop.local');
    const form = req.method === 'POST' ? await readForm(req) : new URLSearchParams();
    // Proofdrop: the pages' forms carry the track_id the browser module kept; the session keeps it
    // through sign-up, and the account keeps it afterwards.
    const trackId = form.get('track_id');
    if (trackId) {
      session.trackId = trackId;
      if (user) user.trackId = trackId;
    }
    const send = (status: number, html: string): void => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    };
    const redirect = (location: string): void => {
      res.writeHead(303, { location }).end();
    };
    const notice = url.searchParams.get('notice') ?? undefined;

    if (req.method === 'GET' && url.pathname === '/proofdrop-browser.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(browserModule);
    } else if (
      req.method === 'GET' &&
      url.pathname === '/' &&
      url.searchParams.get('send') === 'sign_up' &&
      !user
    ) {
      // The task the participant came for (`send`, beside their track_id) decides where they land.
      redirect(`/signup${url.search}`);
    } else if (req.method === 'GET' && url.pathname === '/') {
      send(200, articlesPage(user, notice));
    } else if (req.method === 'GET' && url.pathname === '/signup') {
      send(200, signUpPage());
    } else if (req.method === 'POST' && url.pathname === '/signup') {
      const email = (form.get('email') ?? '').trim().toLowerCase();
      const password = form.get('password') ?? '';
      if (!email.includes('@') || password.length < 8) {
        return send(400, signUpPage('Enter an email address and a password of at least 8 characters.'));
      }
      const created = store.signUp(email, password, session.trackId);
      if (created === 'taken') return send(409, signUpPage('That email already has an account: log in.'));
      session.userId = created.id;
      reportToProofdrop(created.trackId, 'sign_up', created.id);
      redirect(`/?notice=${encodeURIComponent('Welcome! Your account is ready.')}`);
    } else if (req.method === 'GET' && url.pathname === '/login') {
      send(200, logInPage());
    } else if (req.method === 'POST' && url.pathname === '/login') {
      const found = store.logIn((form.get('email') ?? '').trim().toLowerCase(), form.get('password') ?? '');
      if (!found) return send(401, logInPage('Wrong email or password.'));
      session.userId = found.id;
      if (session.trackId) found.trackId = session.trackId;
      redirect('/');
    } else if (req.method === 'POST' && url.pathname === '/logout') {
      session.userId = undefined;
      redirect('/');
    } else if (req.method === 'POST' && /^\/articles\/[\w-]+\/like$/.test(url.pathname)) {
      const article = ARTICLES.find((a) => url.pathname === `/articles/${a.id}/like`);
      if (!user) return redirect('/signup');
      if (!article) return send(404, notFoundPage(user));
      if (!user.liked.has(article.id)) {
        user.liked.add(article.id);
        reportToProofdrop(user.trackId, 'like_article', article.id);
      }
      redirect(`/?notice=${encodeURIComponent(`You liked “${article.title}”.`)}`);
    } else if (req.method === 'GET' && url.pathname === '/deposit') {
      send(200, depositPage(user, notice));
    } else if (req.method === 'POST' && url.pathname === '/deposit') {
      if (!user) return redirect('/signup');
      const amount = Number(form.get('amount'));
      if (!Number.isInteger(amount) || amount < 1 || amount > 10_000) {
        return send(400, depositPage(user, 'Enter a whole amount between 1 and 10000.'));
      }
      const deposit = store.deposit(user, amount);
      reportToProofdrop(user.trackId, 'deposit', deposit.id);
      redirect(`/deposit?notice=${encodeURIComponent(`Deposited ${amount} EUR (${deposit.id}).`)}`);
    } else {
      send(404, notFoundPage(user));
    }
  }

  return createServer((req, res) => {
    const { id, session } = store.session(readCookie(req, 'shop_session'));
    res.setHeader('set-cookie', `shop_session=${id}; Path=/; HttpOnly; SameSite=Lax`);
    route({ req, res, session, user: store.user(session.userId) }).catch((error: Error) => {
      log(`shop error: ${error.message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('Something went wrong.');
    });
  });
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) break;
  }
  return new URLSearchParams(body);
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  const pair = (req.headers.cookie ?? '').split('; ').find((c) => c.startsWith(`${name}=`));
  return pair?.slice(name.length + 1);
}
