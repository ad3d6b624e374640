import { signCallback } from '@proofdrop/protocol';
import { describe, expect, it } from 'vitest';
import { addEntry, type CallbackLogEntry, type LogPages } from './api';
import { choiceOf, filterOf, isFiltered, paramsOf, withChoice, withTyped } from './log-filter';
import { integrationSnippets, recipe, replayCommand } from './snippets';
import { verdictOf } from './verdict';

const entry = (id: number, code: CallbackLogEntry['code'] = 'verified'): CallbackLogEntry => ({
  id,
  receivedAt: '2030-01-01T00:00:00.000Z',
  trackId: 't',
  event: 'sign_up',
  remark: null,
  code,
  detail: '',
  expectedCanonical: null,
  hint: null,
});

describe('callback console', () => {
  const pages = (...pages: CallbackLogEntry[][]): LogPages => ({
    pages: pages.map((callbacks) => ({ callbacks, nextBefore: null, newestId: 0 })),
    pageParams: pages.map(() => undefined),
  });
  const ids = (log: LogPages | undefined) => log?.pages.map((page) => page.callbacks.map((e) => e.id));

  it('keeps entries newest first and each once, however the stream and the first page overlap', () => {
    let log = addEntry(pages([entry(2)], [entry(1)]), entry(3), {});
    log = addEntry(log, entry(2), {});
    log = addEntry(log, entry(1), {});
    log = addEntry(log, entry(4), {});
    expect(ids(log)).toEqual([[4, 3, 2], [1]]);
  });

  it('adds only what the filter keeps, and counts every row streamed as seen', () => {
    const start = pages([entry(1, 'recorded')]);
    const refused = addEntry(start, { ...entry(2, 'invalid_signature') }, { outcome: 'accepted' });
    expect(ids(refused)).toEqual([[1]]);
    expect(refused?.pages[0]?.newestId).toBe(2);
    expect(ids(addEntry(start, { ...entry(2, 'duplicate') }, { outcome: 'accepted' }))).toEqual([[2, 1]]);
    expect(ids(addEntry(start, { ...entry(2), trackId: 'other' }, { trackId: 't' }))).toEqual([[1]]);
    expect(addEntry(undefined, entry(2), {})).toBeUndefined();
  });

  it('keeps the newest 100 of a console left open, reading on below them', () => {
    const newest = (n: number, from: number) => Array.from({ length: n }, (_, i) => entry(from - i));
    let log: LogPages | undefined = pages(newest(100, 200));
    log = addEntry(log, entry(201), {});
    expect(log?.pages).toHaveLength(1);
    expect(log?.pages[0]?.callbacks).toHaveLength(100);
    expect(log?.pages[0]?.callbacks[0]?.id).toBe(201);
    expect(log?.pages[0]?.nextBefore).toBe(102);
  });

  it('keeps the older pages the host loaded while the console holds under 2,000, then trims back', () => {
    const newest = (n: number, from: number) => Array.from({ length: n }, (_, i) => entry(from - i));
    const loaded = addEntry(pages(newest(100, 5000), newest(50, 4900)), entry(5001), {});
    expect(loaded?.pages.map((page) => page.callbacks.length)).toEqual([101, 50]);
    const full = addEntry(pages(newest(100, 5000), newest(1900, 4900)), entry(5001), {});
    expect(full?.pages.map((page) => page.callbacks.length)).toEqual([100]);
    expect(full?.pages[0]?.nextBefore).toBe(4902);
  });

  it('names every verdict in words, not by colour alone', () => {
    expect(verdictOf('verified')).toMatchObject({ tone: 'success', label: 'Verified (test)' });
    expect(verdictOf('invalid_signature')).toMatchObject({
      tone: 'danger',
      icon: '✗',
      label: 'Bad signature',
    });
    expect(verdictOf('something_new').label).toBe('something new');
  });

  it('puts the server-side snippets first, the browser one last with its warning, and never a key', () => {
    const snippets = integrationSnippets({
      baseUrl: 'https://drops.example',
      trackId: 'abc',
      event: 'sign_up',
    });
    expect(snippets.map((s) => s.id)).toEqual(['node', 'curl', 'python', 'php', 'go', 'browser']);
    expect(snippets.at(-1)?.warning).toMatch(/API key/);
    expect(snippets.slice(0, -1).every((s) => s.warning === undefined)).toBe(true);
    for (const s of snippets) expect(`${s.run ?? ''}\n${s.code}`).toContain('https://drops.example');
    expect(snippets.slice(0, -1).every((s) => /PROOFDROP_API_KEY/.test(s.code))).toBe(true);
    expect(snippets.find((s) => s.id === 'node')?.code).toContain("from '@proofdrop/sdk'");
  });

  it('shows the recipes of docs/integrations.md as they are, the ones the tests run', () => {
    const snippets = integrationSnippets({
      baseUrl: 'https://drops.example',
      trackId: "it's",
      event: 'sign_up',
    });
    for (const name of ['curl', 'python', 'php', 'go']) {
      const snippet = snippets.find((s) => s.id === name);
      expect(snippet?.code).toBe(recipe(name));
      expect(snippet?.code).toMatch(/track_id=/);
      expect(snippet?.run).toContain("TRACK_ID='it'\\''s'");
    }
    expect(() => recipe('cobol')).toThrow(/no recipe/);
  });
});

describe('callback log filter', () => {
  it('reads an address back into the filter it was made from, and leaves out what it cannot read', () => {
    const filter = {
      outcome: 'refused',
      trackId: 'abc',
      remark: 'order 42&x',
      email: 'a+b@x.example',
    } as const;
    expect(filterOf(paramsOf(filter))).toEqual(filter);
    expect(paramsOf({}).toString()).toBe('');
    expect(filterOf(new URLSearchParams('outcome=maybe&code=nope&trackId=a%20b'))).toEqual({});
    expect(filterOf(new URLSearchParams('code=invalid_signature'))).toEqual({ code: 'invalid_signature' });
  });

  it('holds one choice of outcome or code, keeping the track_id', () => {
    const filter = { trackId: 't', outcome: 'accepted' } as const;
    expect(choiceOf(filter)).toBe('outcome:accepted');
    expect(withChoice(filter, 'code:duplicate')).toEqual({ trackId: 't', code: 'duplicate' });
    expect(withChoice(filter, 'all')).toEqual({ trackId: 't' });
    expect(withTyped(filter, { trackId: '  ', remark: '', email: ' ' })).toEqual({ outcome: 'accepted' });
    expect(withTyped({}, { trackId: ' x1 ', remark: ' order 42 ', email: ' Ada@x.example ' })).toEqual({
      trackId: 'x1',
      remark: ' order 42 ',
      email: 'Ada@x.example',
    });
    expect(isFiltered({})).toBe(false);
  });
});

describe('a callback sent again with curl', () => {
  const key = 'k'.repeat(64);
  /**
   * The words a POSIX shell hands curl: single-quoted text taken as it is, a backslash quoting the next
   * character or joining lines, spaces and newlines between words (the e2e journey runs a real shell).
   */
  function argumentsOf(command: string): string[] {
    const words: string[] = [];
    let word: string | undefined;
    for (let i = 0; i < command.length; i++) {
      const c = command[i] as string;
      if (c === "'") {
        const end = command.indexOf("'", i + 1);
        word = (word ?? '') + command.slice(i + 1, end);
        i = end;
      } else if (c === '\\') {
        i++;
        if (command[i] !== '\n') word = (word ?? '') + command[i];
      } else if (c === ' ' || c === '\n') {
        if (word !== undefined) words.push(word);
        word = undefined;
      } else {
        word = (word ?? '') + c;
      }
    }
    if (word !== undefined) words.push(word);
    return words.slice(1);
  }

  it('sends the same fields with a fresh v2 signature, quoted for the shell whatever the remark', () => {
    const entry = { trackId: 'tr_1', event: 'like_article', remark: `it's "a" $HOME \\ \`x\`` };
    const now = 1_767_225_600_000;
    const words = argumentsOf(replayCommand('https://drops.example', key, entry, now) ?? '');
    expect(words.slice(0, 6)).toEqual([
      '-sS',
      '-X',
      'POST',
      'https://drops.example/api/callback',
      '-H',
      'content-type: application/json',
    ]);
    expect(words[6]).toBe('-d');
    const body = JSON.parse(words[7] ?? '');
    const fields = { trackId: 'tr_1', event: 'like_article', remark: entry.remark, ts: 1_767_225_600 };
    expect(body).toEqual({
      track_id: 'tr_1',
      event: 'like_article',
      remark: entry.remark,
      ts: 1_767_225_600,
      sign: signCallback(key, fields),
    });
  });

  it('leaves out a remark the callback had not, and has no command for a body without its track_id', () => {
    const words = argumentsOf(
      replayCommand('http://localhost:3000', key, { trackId: 't', event: 'sign_up', remark: null }, 0) ?? '',
    );
    expect(Object.keys(JSON.parse(words[7] ?? ''))).toEqual(['track_id', 'event', 'ts', 'sign']);
    expect(replayCommand('http://x', key, { trackId: null, event: 'e', remark: null }, 0)).toBeUndefined();
  });
});
