/**
 * Where a draw's proof is read from, given what a person copies: the API's address itself, or the public
 * proof page (`/g/<slug>/proof`) or giveaway page (`/g/<slug>`) of the same server, which are web pages.
 */
export function proofApiUrl(address: string): string {
  const url = new URL(address);
  const page = /^(.*)\/g\/([^/]+)(?:\/proof)?\/?$/.exec(url.pathname);
  if (!page) return url.toString();
  url.pathname = `${page[1]}/api/v1/giveaways/${page[2]}/draw`;
  url.search = '';
  url.hash = '';
  return url.toString();
}
