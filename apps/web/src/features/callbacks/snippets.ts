import { signedCallbackBody } from '@proofdrop/protocol';
import integrations from '../../../../../docs/integrations.md?raw';

export type Snippet = {
  id: string;
  title: string;
  code: string;
  /** How to run it against this project's test: the inputs every recipe reads from the environment. */
  run?: string;
  warning?: string;
};

export type SnippetInput = {
  /** Where this Proofdrop answers, e.g. https://drops.example */
  baseUrl: string;
  trackId: string;
  event: string;
};

/**
 * The recipes of docs/integrations.md, by their `<!-- recipe: name -->` marker: the dashboard shows the very
 * code the test suite runs against a real server, so the two cannot drift apart.
 */
export function recipe(name: string): string {
  const marker = `<!-- recipe: ${name} -->`;
  const start = integrations.indexOf(marker);
  if (start < 0) throw new Error(`docs/integrations.md has no recipe "${name}"`);
  const block = /```[a-z]*\n([\s\S]*?)```/.exec(integrations.slice(start + marker.length));
  if (!block?.[1]) throw new Error(`the recipe "${name}" has no code block`);
  return block[1].trimEnd();
}

const shellQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

/**
 * Ready-to-paste integrations for a project's test callback, server-side first. The key is read from the
 * environment in every one: a snippet that holds it would end up in a repository or a page.
 */
export function integrationSnippets({ baseUrl, trackId, event }: SnippetInput): Snippet[] {
  const endpoint = `${baseUrl}/api/callback`;
  const env = `PROOFDROP_URL=${shellQuote(baseUrl)} TRACK_ID=${shellQuote(trackId)} EVENT=${shellQuote(event)} REMARK=`;
  return [
    {
      id: 'node',
      title: 'Node.js (@proofdrop/sdk)',
      code: `// The SDK ships with Proofdrop, not on the npm registry: npm pack it from a clone's packages/sdk
// (its README says how), then npm install the .tgz in your app.
import { createClient } from '@proofdrop/sdk';

// Once, at start: retries, timeouts and signing are the SDK's.
const proofdrop = createClient({
  apiKey: process.env.PROOFDROP_API_KEY,
  baseUrl: ${JSON.stringify(baseUrl)},
});

// trackId comes from the link the participant arrived by; keep it through your own flow.
const verdict = await proofdrop.sendCallback({
  trackId: ${JSON.stringify(trackId)},
  event: ${JSON.stringify(event)},
  // For a counted task, add remark: the article or order id. It counts once, so a retry is safe.
});
console.log(verdict);`,
    },
    { id: 'curl', title: 'curl + openssl', run: `${env} sh callback.sh`, code: recipe('curl') },
    { id: 'python', title: 'Python (server)', run: `${env} python3 callback.py`, code: recipe('python') },
    { id: 'php', title: 'PHP (server)', run: `${env} php callback.php`, code: recipe('php') },
    { id: 'go', title: 'Go (server)', run: `${env} go run callback.go`, code: recipe('go') },
    {
      id: 'browser',
      title: 'Browser (crypto-js) — last resort',
      warning:
        'Signing in the page puts your API key in every visitor\u2019s hands: anyone can then complete any task for anyone. Sign on your server (above) whenever you can, and rotate the key if it was ever shipped to a browser.',
      code: `<script type="module">
  import CryptoJS from 'crypto-js'; // bundled with your page
  const trackId = new URLSearchParams(location.search).get('track_id');
  const event = ${JSON.stringify(event)};
  const sign = CryptoJS.HmacSHA256(\`track_id=\${trackId}&event=\${event}\`, API_KEY).toString();
  fetch(${JSON.stringify(endpoint)}, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ track_id: trackId, event, sign }),
  });
</script>`,
    },
  ];
}

/**
 * A callback of the log as a curl command that sends it again, signed with the project's key at `nowMs`: a
 * v2 signature, which every project takes and which goes stale in 5 minutes, so a command left in a chat or a
 * shell history cannot be replayed later. Undefined for a row without its track_id or event (a malformed body).
 */
export function replayCommand(
  baseUrl: string,
  apiKey: string,
  entry: { trackId: string | null; event: string | null; remark: string | null },
  nowMs: number,
): string | undefined {
  const { trackId, event, remark } = entry;
  if (trackId === null || event === null) return undefined;
  const ts = Math.floor(nowMs / 1000);
  const body = JSON.stringify(
    signedCallbackBody(apiKey, { trackId, event, remark: remark ?? undefined, ts }),
  );
  return `curl -sS -X POST ${shellQuote(`${baseUrl}/api/callback`)} \\
  -H 'content-type: application/json' \\
  -d ${shellQuote(body)}`;
}
