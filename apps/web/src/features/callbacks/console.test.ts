import { describe, expect, it } from 'vitest';
import { addEntry, type CallbackLogEntry } from './api';
import { integrationSnippets, recipe } from './snippets';
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
  it('keeps entries newest first and each once, however the stream and the first page overlap', () => {
    let log = addEntry(undefined, entry(2));
    log = addEntry(log, entry(3));
    log = addEntry(log, entry(2));
    log = addEntry(log, entry(1));
    expect(log.callbacks.map((e) => e.id)).toEqual([3, 2, 1]);
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
