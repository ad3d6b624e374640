import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** The shop's own data, in memory: an example keeps it simple; a real shop has its database. */

export type User = {
  id: string;
  email: string;
  passwordHash: string;
  /** The Proofdrop track_id the user arrived with, kept with the account for later actions. */
  trackId: string | undefined;
  liked: Set<string>;
};
export type Deposit = { id: string; userId: string; amount: number };
export type Session = { userId: string | undefined; trackId: string | undefined };

export const ARTICLES = [
  {
    id: 'art-espresso',
    title: 'Why espresso tastes better at 93 °C',
    teaser: 'Water temperature and extraction.',
  },
  { id: 'art-grinder', title: 'Burr or blade: choosing a grinder', teaser: 'Consistency is everything.' },
  { id: 'art-beans', title: 'Light, medium, dark roast', teaser: 'What the roast does to a bean.' },
  { id: 'art-milk', title: 'Steaming milk without a thermometer', teaser: 'Listen to the jug.' },
  { id: 'art-water', title: 'The water in your cup', teaser: 'Hardness, taste and scale.' },
] as const;

export class Store {
  private readonly users = new Map<string, User>();
  private readonly sessions = new Map<string, Session>();
  private readonly deposits: Deposit[] = [];
  private counter = 0;

  private nextId(prefix: string): string {
    return `${prefix}_${++this.counter}`;
  }

  session(id: string | undefined): { id: string; session: Session } {
    const existing = id === undefined ? undefined : this.sessions.get(id);
    if (id !== undefined && existing) return { id, session: existing };
    const fresh = {
      id: randomBytes(18).toString('base64url'),
      session: { userId: undefined, trackId: undefined },
    };
    this.sessions.set(fresh.id, fresh.session);
    return fresh;
  }

  user(id: string | undefined): User | undefined {
    return id === undefined ? undefined : this.users.get(id);
  }

  signUp(email: string, password: string, trackId: string | undefined): User | 'taken' {
    if ([...this.users.values()].some((u) => u.email === email)) return 'taken';
    const salt = randomBytes(16).toString('hex');
    const user: User = {
      id: this.nextId('user'),
      email,
      passwordHash: `${salt}:${scryptSync(password, salt, 32).toString('hex')}`,
      trackId,
      liked: new Set(),
    };
    this.users.set(user.id, user);
    return user;
  }

  logIn(email: string, password: string): User | undefined {
    const user = [...this.users.values()].find((u) => u.email === email);
    if (!user) return undefined;
    const [salt = '', hash = ''] = user.passwordHash.split(':');
    const given = scryptSync(password, salt, 32);
    return timingSafeEqual(given, Buffer.from(hash, 'hex')) ? user : undefined;
  }

  deposit(user: User, amount: number): Deposit {
    const deposit = { id: this.nextId('dep'), userId: user.id, amount };
    this.deposits.push(deposit);
    return deposit;
  }
}
