import { isIP } from 'node:net';
import path from 'node:path';
import { HASH_COST } from './hosts/password.js';
import { decodeMasterKey } from './secrets/master-key.js';

export type DatabaseConfig =
  | { engine: 'sqlite'; file: string }
  /** `poolSize` bounds the connections of this process's reads; its writer and its listener have one each besides. */
  | { engine: 'postgres'; url: string; poolSize: number };

export type Config = {
  port: number;
  host: string;
  database: DatabaseConfig;
  publicUrl: string;
  logLevel: LogLevel;
  limits: Limits;
  /** Where draws with a beacon fetch their drand round; without it the host pastes the round. */
  drandRelayUrl: string | undefined;
  /** Lets webhook endpoints point at loopback or private addresses (a single-tenant install may want it). */
  webhookAllowPrivateUrls: boolean;
  http: HttpLimits;
  /** Callback-log rows and settled webhook deliveries are deleted after this many days; 0 keeps them. */
  logRetentionDays: number;
  /** Live streams open at once per participant, per host and in the process; 0 turns a limit off. */
  streams: { perParticipant: number; perHost: number; total: number };
  /** SECRET_KEY: seals secrets at rest; unset on SQLite, the key file beside the database is used instead. */
  secretKey: Buffer | undefined;
  /** Fastify's trustProxy: false, a hop count, or the proxies' addresses and CIDR ranges. */
  trustProxy: false | number | string[];
  /** SIGNUP: who may create a host account; `closed` takes an invite link from an existing host. */
  signup: 'open' | 'closed';
  /** The sign-in throttles and the cap on password hashing; 0 turns a limit off. */
  signIn: SignInLimits;
  /** METRICS_TOKEN: a Bearer token that opens /metrics from anywhere; without it, loopback only. */
  metricsToken: string | undefined;
  /** Outgoing mail (verification links, winner notices); without it, nothing is mailed. */
  mail: MailConfig | undefined;
};

/** What one client may hold of the server's connections and time; 0 turns a limit off. */
export type HttpLimits = {
  /** A request's headers and body must arrive within this; live streams' answers are not affected. */
  requestTimeoutS: number;
  maxConnections: number;
  /** SIGTERM: requests in flight get this long, then the remaining connections are closed. */
  shutdownTimeoutS: number;
};

/** The sign-in throttles and the cap on password hashing (LOGIN_ATTEMPTS_*, PASSWORD_HASH_*); 0 turns a limit off. */
export type SignInLimits = {
  /** Failed sign-ins per email, from any address, in a burst; as many again come back over two minutes. */
  attemptsPerEmail: number;
  /** Failed sign-ins per client address, across emails, in a burst; as many again come back each minute. */
  attemptsPerIp: number;
  /** Password hashes computed at once (scrypt, 128 MiB each, on libuv's pool of 4 threads). */
  hashConcurrency: number;
  /** Calls that may wait for a hashing slot; beyond them, a 429 at once instead of a growing queue. */
  hashQueue: number;
  /** scrypt's cost (log2 N) for new password hashes; a stored hash keeps the cost it was made with. */
  hashCost: number;
};

export type MailConfig = {
  /** `smtp://` or `smtps://`, with credentials in the URL when the server wants them. */
  smtpUrl: string;
  /** The sender, `address` or `Name <address>`. */
  from: string;
};

export type Limits = {
  /**
   * Verified callbacks a second per project (twice that in a burst); 0, the default, turns the limit off:
   * they come from the host's own servers, holding the key. Kept for operators who host many tenants.
   */
  callbackRatePerProject: number;
  /** Verified callbacks a second per track_id (twice that in a burst); 0 turns the limit off. */
  callbackRatePerTrack: number;
  /** Writes waiting for the writer before new ones get 429. */
  writerMaxQueue: number;
  /** Joins a minute per client address (that many in a burst); 0 turns the limit off. */
  joinRatePerIp: number;
  /** How long a remark-less callback's body counts as a duplicate when it comes again; 0 turns it off. */
  replayWindowSeconds: number;
  /** Rejected callbacks logged one by one a second per project; the rest are counted. 0 turns the limit off. */
  rejectionLogRate: number;
};

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

/** Settings we read; any other PROOFDROP_* variable is a typo worth stopping for. */
const KNOWN = new Set([
  'PORT',
  'HOST',
  'DATABASE_URL',
  'DATABASE_POOL_SIZE',
  'PUBLIC_URL',
  'LOG_LEVEL',
  'CALLBACK_RATE_PER_PROJECT',
  'CALLBACK_RATE_PER_TRACK',
  'WRITER_MAX_QUEUE',
  'JOIN_RATE_PER_IP',
  'REPLAY_WINDOW_S',
  'DRAND_RELAY_URL',
  'WEBHOOK_ALLOW_PRIVATE_URLS',
  'REJECTION_LOG_RATE',
  'LOG_RETENTION_DAYS',
  'STREAMS_PER_PARTICIPANT',
  'STREAMS_PER_HOST',
  'MAX_STREAMS',
  'REQUEST_TIMEOUT_S',
  'MAX_CONNECTIONS',
  'SHUTDOWN_TIMEOUT_S',
  'SMTP_URL',
  'MAIL_FROM',
  'SECRET_KEY',
  'TRUST_PROXY',
  'SIGNUP',
  'LOGIN_ATTEMPTS_PER_EMAIL',
  'LOGIN_ATTEMPTS_PER_IP',
  'PASSWORD_HASH_CONCURRENCY',
  'PASSWORD_HASH_QUEUE',
  'PASSWORD_HASH_COST',
  'METRICS_TOKEN',
]);

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  for (const name of Object.keys(env)) {
    if (name.startsWith('PROOFDROP_') && !KNOWN.has(name)) {
      throw new ConfigError(`${name} is not a Proofdrop setting (known: ${[...KNOWN].join(', ')})`);
    }
  }
  const port = parsePort(nonEmpty('PORT', env.PORT));
  const host = nonEmpty('HOST', env.HOST) ?? '127.0.0.1';
  const database = parseDatabaseUrl(
    nonEmpty('DATABASE_URL', env.DATABASE_URL),
    parseCount(env, 'DATABASE_POOL_SIZE', 10, 1),
    cwd,
  );
  const publicUrl = parsePublicUrl(nonEmpty('PUBLIC_URL', env.PUBLIC_URL) ?? `http://localhost:${port}`);
  const logLevel = parseLogLevel(nonEmpty('LOG_LEVEL', env.LOG_LEVEL));
  const limits = {
    callbackRatePerProject: parseCount(env, 'CALLBACK_RATE_PER_PROJECT', 0),
    callbackRatePerTrack: parseCount(env, 'CALLBACK_RATE_PER_TRACK', 20),
    writerMaxQueue: parseCount(env, 'WRITER_MAX_QUEUE', 10_000, 1),
    joinRatePerIp: parseCount(env, 'JOIN_RATE_PER_IP', 20),
    replayWindowSeconds: parseCount(env, 'REPLAY_WINDOW_S', 300),
    rejectionLogRate: parseCount(env, 'REJECTION_LOG_RATE', 10),
  };
  const relay = nonEmpty('DRAND_RELAY_URL', env.DRAND_RELAY_URL);
  const drandRelayUrl = relay === undefined ? undefined : parseHttpUrl('DRAND_RELAY_URL', relay);
  const webhookAllowPrivateUrls = parseBoolean(
    'WEBHOOK_ALLOW_PRIVATE_URLS',
    nonEmpty('WEBHOOK_ALLOW_PRIVATE_URLS', env.WEBHOOK_ALLOW_PRIVATE_URLS),
  );
  const http = {
    requestTimeoutS: parseCount(env, 'REQUEST_TIMEOUT_S', 30),
    maxConnections: parseCount(env, 'MAX_CONNECTIONS', 10_000),
    shutdownTimeoutS: parseCount(env, 'SHUTDOWN_TIMEOUT_S', 10),
  };
  const logRetentionDays = parseCount(env, 'LOG_RETENTION_DAYS', 30);
  const streams = {
    perParticipant: parseCount(env, 'STREAMS_PER_PARTICIPANT', 5),
    perHost: parseCount(env, 'STREAMS_PER_HOST', 20),
    total: parseCount(env, 'MAX_STREAMS', 5000),
  };
  const signIn = {
    attemptsPerEmail: parseCount(env, 'LOGIN_ATTEMPTS_PER_EMAIL', 10),
    attemptsPerIp: parseCount(env, 'LOGIN_ATTEMPTS_PER_IP', 20),
    hashConcurrency: parseCount(env, 'PASSWORD_HASH_CONCURRENCY', 2),
    hashQueue: parseCount(env, 'PASSWORD_HASH_QUEUE', 16),
    hashCost: parseCount(env, 'PASSWORD_HASH_COST', HASH_COST.default, HASH_COST.min, HASH_COST.max),
  };
  const mail = parseMail(nonEmpty('SMTP_URL', env.SMTP_URL), nonEmpty('MAIL_FROM', env.MAIL_FROM));
  const secretKey = parseSecretKey(nonEmpty('SECRET_KEY', env.SECRET_KEY), database);
  const trustProxy = parseTrustProxy(nonEmpty('TRUST_PROXY', env.TRUST_PROXY));
  const signup = nonEmpty('SIGNUP', env.SIGNUP)?.toLowerCase() ?? 'open';
  if (signup !== 'open' && signup !== 'closed') {
    throw new ConfigError(`SIGNUP must be open or closed, got "${env.SIGNUP}"`);
  }
  return {
    port,
    host,
    database,
    publicUrl,
    logLevel,
    limits,
    drandRelayUrl,
    webhookAllowPrivateUrls,
    http,
    logRetentionDays,
    streams,
    mail,
    secretKey,
    trustProxy,
    signup,
    signIn,
    metricsToken: parseMetricsToken(nonEmpty('METRICS_TOKEN', env.METRICS_TOKEN)),
  };
}

function parseMail(smtpUrl: string | undefined, from: string | undefined): MailConfig | undefined {
  if (smtpUrl === undefined) {
    if (from !== undefined)
      throw new ConfigError('MAIL_FROM is set but SMTP_URL is not: set both to send mail');
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new ConfigError(`SMTP_URL is not a valid URL: "${redactUrl(smtpUrl)}"`);
  }
  if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || url.hostname === '') {
    throw new ConfigError(
      `SMTP_URL must look like smtp://user:password@host:587 or smtps://host:465, got "${redactUrl(smtpUrl)}"`,
    );
  }
  if (from === undefined) {
    throw new ConfigError('SMTP_URL needs MAIL_FROM, the sender, e.g. "Proofdrop <giveaways@example.com>"');
  }
  const address = /<([^<>]*)>\s*$/.exec(from)?.[1] ?? from;
  if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(address.trim())) {
    throw new ConfigError(`MAIL_FROM must be an address or "Name <address>", got "${from}"`);
  }
  return { smtpUrl, from };
}

/**
 * Whom to believe about the client's address in X-Forwarded-For. Never everyone: then any client could
 * pick the address the sign-in throttle counts against.
 */
function parseTrustProxy(value: string | undefined): false | number | string[] {
  if (value === undefined || value === '0') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10) throw new ConfigError(`TRUST_PROXY as a hop count must be from 0 to 10, got "${value}"`);
    return hops;
  }
  const entries = value.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address ?? '');
    const prefixOk =
      prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
    if (family === 0 || !prefixOk || rest.length > 0) {
      throw new ConfigError(
        `TRUST_PROXY must be a hop count or a comma list of proxy addresses or CIDR ranges (e.g. 127.0.0.1,10.0.0.0/8), got "${entry}"`,
      );
    }
  }
  return entries;
}

function parseMetricsToken(value: string | undefined): string | undefined {
  if (value !== undefined && (value.length < 16 || /\s/.test(value))) {
    throw new ConfigError(
      'METRICS_TOKEN must be at least 16 characters without spaces: openssl rand -hex 16',
    );
  }
  return value;
}

function parseSecretKey(value: string | undefined, database: DatabaseConfig): Buffer | undefined {
  if (value === undefined) {
    if (database.engine === 'postgres') {
      throw new ConfigError(
        'SECRET_KEY is required with PostgreSQL, the same in every process: make one with `openssl rand -base64 32`',
      );
    }
    return undefined;
  }
  const key = decodeMasterKey(value);
  // The value is a secret: the message never echoes it.
  if (!key)
    throw new ConfigError('SECRET_KEY must be base64 of 32 bytes: make one with `openssl rand -base64 32`');
  return key;
}

function nonEmpty(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new ConfigError(`${name} is set but empty; unset it to use the default`);
  return value.trim();
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 3000;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new ConfigError(`PORT must be a whole number from 1 to 65535, got "${value}"`);
  }
  return port;
}

function parseBoolean(name: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new ConfigError(`${name} must be true or false, got "${value}"`);
}

function parseCount(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0, max = 1e9): number {
  const value = nonEmpty(name, env[name]);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

function parseDatabaseUrl(value: string | undefined, poolSize: number, cwd: string): DatabaseConfig {
  const url = value ?? 'sqlite:./data/proofdrop.db';
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file === '')
      throw new ConfigError('DATABASE_URL "sqlite:" needs a file path, e.g. sqlite:./data/proofdrop.db');
    return { engine: 'sqlite', file: path.resolve(cwd, file) };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError(`DATABASE_URL is not a valid URL: "${redactUrl(url)}"`);
    }
    if (parsed.pathname.length <= 1) {
      throw new ConfigError(`DATABASE_URL names no database, e.g. postgres://user@host:5432/proofdrop`);
    }
    return { engine: 'postgres', url, poolSize };
  }
  throw new ConfigError(
    `DATABASE_URL must look like sqlite:<path> or postgres://user@host:port/db, got "${redactUrl(url)}"`,
  );
}

function parsePublicUrl(value: string): string {
  return parseHttpUrl('PUBLIC_URL', value);
}

function parseHttpUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must use http or https, got "${url.protocol}"`);
  }
  return value.replace(/\/+$/, '');
}

function parseLogLevel(value: string | undefined): LogLevel {
  if (value === undefined) return 'info';
  const level = LOG_LEVELS.find((l) => l === value.toLowerCase());
  if (!level) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  return level;
}

/** A database URL may carry a password, in its user part or its query; never echo either. */
function redactUrl(url: string): string {
  return url.replace(/[?#].*$/, '').replace(/^([a-z][a-z0-9+.-]*:\/\/).*@/i, '$1***@');
}
