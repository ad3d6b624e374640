import { canonicalString } from '@proofdrop/protocol';

export type Snippet = { id: string; title: string; code: string; warning?: string };

export type SnippetInput = {
  /** Where this Proofdrop answers, e.g. https://drops.example */
  baseUrl: string;
  trackId: string;
  event: string;
};

/**
 * Ready-to-paste integrations for a project's test callback, server-side first. The key is read from the
 * environment in every one: a snippet that holds it would end up in a repository or a page. Each signs
 * `track_id=…&event=…` (plus `&remark=…` when a remark is sent) with HMAC-SHA256, hex.
 */
export function integrationSnippets({ baseUrl, trackId, event }: SnippetInput): Snippet[] {
  const endpoint = `${baseUrl}/api/callback`;
  const canonical = canonicalString({ trackId, event, remark: undefined });
  return [
    {
      id: 'node',
      title: 'Node.js (server)',
      code: `import { createHmac } from 'node:crypto';

// track_id comes from the link the participant arrived by; keep it through your own flow.
const trackId = ${JSON.stringify(trackId)};
const event = ${JSON.stringify(event)};
const sign = createHmac('sha256', process.env.PROOFDROP_API_KEY)
  .update(\`track_id=\${trackId}&event=\${event}\`)
  .digest('hex');

const res = await fetch(${JSON.stringify(endpoint)}, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ track_id: trackId, event, sign }),
});
console.log(res.status, await res.json());`,
    },
    {
      id: 'curl',
      title: 'curl + openssl',
      code: `SIGN=$(printf '%s' '${canonical}' \\
  | openssl dgst -sha256 -hmac "$PROOFDROP_API_KEY" | sed 's/^.* //')
curl -sS ${endpoint} \\
  -H 'content-type: application/json' \\
  -d "{\\"track_id\\":\\"${trackId}\\",\\"event\\":\\"${event}\\",\\"sign\\":\\"$SIGN\\"}"`,
    },
    {
      id: 'python',
      title: 'Python (server)',
      code: `import hashlib, hmac, json, os, urllib.request

track_id, event = ${JSON.stringify(trackId)}, ${JSON.stringify(event)}
message = f"track_id={track_id}&event={event}".encode()
sign = hmac.new(os.environ["PROOFDROP_API_KEY"].encode(), message, hashlib.sha256).hexdigest()

request = urllib.request.Request(
    ${JSON.stringify(endpoint)},
    data=json.dumps({"track_id": track_id, "event": event, "sign": sign}).encode(),
    headers={"content-type": "application/json"},
)
print(urllib.request.urlopen(request).read().decode())`,
    },
    {
      id: 'php',
      title: 'PHP (server)',
      code: `<?php
$trackId = ${JSON.stringify(trackId)};
$event = ${JSON.stringify(event)};
$sign = hash_hmac('sha256', "track_id={$trackId}&event={$event}", getenv('PROOFDROP_API_KEY'));

$context = stream_context_create(['http' => [
    'method' => 'POST',
    'header' => "content-type: application/json\\r\\n",
    'content' => json_encode(['track_id' => $trackId, 'event' => $event, 'sign' => $sign]),
    'ignore_errors' => true,
]]);
echo file_get_contents(${JSON.stringify(endpoint)}, false, $context);`,
    },
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
