import fs from 'node:fs';
import { type DrawProof, DrawProofSchema } from '@proofdrop/contract';
import { verifyDrawProof } from '@proofdrop/protocol';
import { Value } from 'typebox/value';
import { proofApiUrl } from './draws/proof-address.js';

const USAGE = `usage: proofdrop verify-draw <url|file>

Recomputes a Proofdrop draw from its public proof (the proof page's address, https://…/g/<slug>/proof;
GET /api/v1/giveaways/<slug>/draw; or that JSON saved to a file): the seed matches the commitment, the
list hash and Merkle root match the entries, the drand beacon verifies, and the winners follow. Prints
VALID, or the first step that fails and exits 1.`;

async function readJson(source: string): Promise<unknown> {
  if (!/^https?:\/\//.test(source)) return JSON.parse(fs.readFileSync(source, 'utf8'));
  const api = proofApiUrl(source);
  const first = await fetchText(source);
  if (first.ok && !looksLikeHtml(first.text)) return JSON.parse(first.text);
  // A proof page's address answers the web app's page; the proof it shows is the API's, beside it.
  const answer = api === source ? first : await fetchText(api);
  if (!answer.ok) throw new Error(`${api} answered ${answer.status}`);
  if (looksLikeHtml(answer.text)) {
    throw new Error(
      `${api} answered a web page, not a proof: give the proof page's address (…/g/<slug>/proof) or the API's (…/api/v1/giveaways/<slug>/draw)`,
    );
  }
  return JSON.parse(answer.text);
}

async function fetchText(url: string): Promise<{ ok: boolean; status: number; text: string }> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  return { ok: res.ok, status: res.status, text: await res.text() };
}

const looksLikeHtml = (text: string) => text.trimStart().startsWith('<');

/** The proof, or what makes it not one: the first few places where it departs from the schema. */
function asProof(value: unknown): DrawProof | string {
  if (Value.Check(DrawProofSchema, value)) return value;
  const problems = Value.Errors(DrawProofSchema, value).map(
    (error) => `${error.instancePath || '(the document)'} ${error.message}`,
  );
  return `this is not a draw proof: ${[...new Set(problems)].slice(0, 5).join('; ')}`;
}

async function main(argv: string[]): Promise<number> {
  const [command, source] = argv;
  if (command !== 'verify-draw' || !source) {
    console.error(USAGE);
    return 2;
  }
  let proof: DrawProof | string;
  try {
    proof = asProof(await readJson(source));
  } catch (error) {
    console.error(`cannot read the proof: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  if (typeof proof === 'string') {
    console.error(`cannot read the proof: ${proof}`);
    return 2;
  }
  const result = verifyDrawProof(proof);
  if (result.valid) {
    console.log('VALID');
    console.log(
      `${counted(proof.entries?.length ?? 0, 'entry', 'entries')}, ${counted(proof.winners?.length ?? 0, 'winner', 'winners')}; ${proof.guarantee}`,
    );
    return 0;
  }
  console.log(`INVALID at ${result.step}: ${result.message}`);
  return 1;
}

process.exitCode = await main(process.argv.slice(2));

function counted(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
