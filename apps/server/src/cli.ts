import fs from 'node:fs';
import { type DrawProof, verifyDrawProof } from './draws/draw-proof.js';

const USAGE = `usage: proofdrop verify-draw <url|file>

Recomputes a Proofdrop draw from its public proof (GET /api/v1/giveaways/<slug>/draw, or that JSON saved
to a file): the seed matches the commitment, the list hash and Merkle root match the entries, the drand
beacon verifies, and the winners follow. Prints VALID, or the first step that fails and exits 1.`;

async function readProof(source: string): Promise<DrawProof> {
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source, { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`${source} answered ${res.status}`);
    return (await res.json()) as DrawProof;
  }
  return JSON.parse(fs.readFileSync(source, 'utf8')) as DrawProof;
}

async function main(argv: string[]): Promise<number> {
  const [command, source] = argv;
  if (command !== 'verify-draw' || !source) {
    console.error(USAGE);
    return 2;
  }
  let proof: DrawProof;
  try {
    proof = await readProof(source);
  } catch (error) {
    console.error(`cannot read the proof: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const result = verifyDrawProof(proof);
  if (result.valid) {
    console.log('VALID');
    console.log(
      `${proof.entries?.length ?? 0} entries, ${proof.winners?.length ?? 0} winners; ${proof.guarantee}`,
    );
    return 0;
  }
  console.log(`INVALID at ${result.step}: ${result.message}`);
  return 1;
}

process.exitCode = await main(process.argv.slice(2));
