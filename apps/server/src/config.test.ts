import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('needs nothing: every setting has a default', () => {
    expect(loadConfig({}, '/srv/app')).toEqual({
      port: 3000,
      host: '127.0.0.1',
      database: { engine: 'sqlite', file: path.resolve('/srv/app', 'data/proofdrop.db') },
      publicUrl: 'http://localhost:3000',
      logLevel: 'info',
      limits: {
        callbackRatePerProject: 0,
        callbackRatePerTrack: 20,
        writerMaxQueue: 10_000,
        rejectionLogRate: 10,
        joinRatePerIp: 20,
        replayWindowSeconds: 300,
      },
      drandRelayUrl: undefined,
      webhookAllowPrivateUrls: false,
      http: { requestTimeoutS: 30, maxConnections: 10_000, shutdownTimeoutS: 10 },
      logRetentionDays: 30,
      streams: { perParticipant: 5, perHost: 20, total: 5000 },
      mail: undefined,
      secretKey: undefined,
      trustProxy: false,
      signup: 'open',
      signIn: { attemptsPerEmail: 10, attemptsPerIp: 20, hashConcurrency: 2, hashQueue: 16, hashCost: 17 },
      metricsToken: undefined,
    });
  });

  it('sends mail when SMTP_URL and MAIL_FROM are both set', () => {
    expect(
      loadConfig({ SMTP_URL: 'smtp://user:pw@mail.example:587', MAIL_FROM: 'Drops <drops@example.com>' })
        .mail,
    ).toEqual({ smtpUrl: 'smtp://user:pw@mail.example:587', from: 'Drops <drops@example.com>' });
  });

  it.each([
    [{ SMTP_URL: 'http://mail.example' }, /SMTP_URL must look like/],
    [{ SMTP_URL: 'not a url' }, /SMTP_URL is not a valid URL/],
    [{ SMTP_URL: 'smtp://mail.example' }, /SMTP_URL needs MAIL_FROM/],
    [{ MAIL_FROM: 'drops@example.com' }, /MAIL_FROM is set but SMTP_URL is not/],
    [{ SMTP_URL: 'smtp://mail.example', MAIL_FROM: 'drops' }, /MAIL_FROM must be an address/],
  ])('stops on a bad mail setting %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never echoes the SMTP password', () => {
    expect(() => loadConfig({ SMTP_URL: 'http://user:secret@mail.example' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret') }),
    );
  });

  it('derives PUBLIC_URL from PORT and strips a trailing slash', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://drops.example/' }).publicUrl).toBe('https://drops.example');
  });

  it.each([
    [{ PORT: 'abc' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ PORT: '' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ DATABASE_URL: 'sqlite:' }, /DATABASE_URL/],
    [{ DATABASE_URL: 'postgres://db.example:5432' }, /names no database/],
    [{ DATABASE_URL: 'postgres://db.example/x', DATABASE_POOL_SIZE: '0' }, /DATABASE_POOL_SIZE/],
    [{ PUBLIC_URL: 'not a url' }, /PUBLIC_URL/],
    [{ PUBLIC_URL: 'ftp://x.example' }, /PUBLIC_URL/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ PROOFDROP_PORT: '1' }, /PROOFDROP_PORT/],
    [{ CALLBACK_RATE_PER_TRACK: '-1' }, /CALLBACK_RATE_PER_TRACK/],
    [{ REJECTION_LOG_RATE: 'ten' }, /REJECTION_LOG_RATE/],
    [{ LOG_RETENTION_DAYS: '-3' }, /LOG_RETENTION_DAYS/],
    [{ SHUTDOWN_TIMEOUT_S: '1.5' }, /SHUTDOWN_TIMEOUT_S/],
    [{ WRITER_MAX_QUEUE: '0' }, /WRITER_MAX_QUEUE/],
    [{ WEBHOOK_ALLOW_PRIVATE_URLS: 'maybe' }, /WEBHOOK_ALLOW_PRIVATE_URLS/],
    [{ SECRET_KEY: 'c2hvcnQ=' }, /SECRET_KEY must be base64 of 32 bytes/],
    [{ SECRET_KEY: 'not base64 at all!' }, /SECRET_KEY/],
    [{ DATABASE_URL: 'postgres://db.example/x' }, /SECRET_KEY is required with PostgreSQL/],
    [{ TRUST_PROXY: 'true' }, /TRUST_PROXY/],
    [{ SIGNUP: 'invite-only' }, /SIGNUP must be open or closed/],
    [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY/],
    [{ TRUST_PROXY: '127.0.0.1,nginx' }, /TRUST_PROXY/],
    [{ TRUST_PROXY: '99' }, /TRUST_PROXY/],
    [{ PASSWORD_HASH_COST: '13' }, /PASSWORD_HASH_COST must be a whole number from 14 to 20/],
    [{ PASSWORD_HASH_COST: '21' }, /PASSWORD_HASH_COST must be a whole number from 14 to 20/],
    [{ PASSWORD_HASH_COST: '2^17' }, /PASSWORD_HASH_COST/],
  ])('stops on %o with a message naming the setting', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads SECRET_KEY as base64 of 32 bytes, standard or URL-safe, and never echoes it', () => {
    const key = Buffer.alloc(32, 0xfb);
    expect(loadConfig({ SECRET_KEY: key.toString('base64') }).secretKey).toEqual(key);
    expect(loadConfig({ SECRET_KEY: key.toString('base64url') }).secretKey).toEqual(key);
    const tooLong = Buffer.alloc(33, 0xfb).toString('base64');
    expect(() => loadConfig({ SECRET_KEY: tooLong })).toThrow(/^(?!.*\+\/)SECRET_KEY/);
  });

  it('reads TRUST_PROXY as a hop count or a list of addresses and CIDR ranges; 0 or unset trusts none', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8' }).trustProxy).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
    ]);
  });

  it('takes a PostgreSQL URL with a pool of 10 unless told', () => {
    const url = 'postgres://proofdrop:secret@db.example:5432/proofdrop';
    const SECRET_KEY = Buffer.alloc(32).toString('base64');
    expect(loadConfig({ DATABASE_URL: url, SECRET_KEY }).database).toEqual({
      engine: 'postgres',
      url,
      poolSize: 10,
    });
    expect(loadConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: '4', SECRET_KEY }).database).toMatchObject({
      poolSize: 4,
    });
  });

  it('never echoes a database password', () => {
    for (const url of [
      'mysql://user:hunter2@db/x',
      'postgres://app:ab/hunter2@db.example/x',
      'postgres://db.example:5432?password=hunter2',
    ]) {
      expect(() => loadConfig({ DATABASE_URL: url })).toThrow(ConfigError);
      expect(() => loadConfig({ DATABASE_URL: url })).toThrow(/^(?!.*hunter2)/);
    }
  });
});
