import type { RouteSpec } from '@proofdrop/contract';

/** What the contract's route table leaves to the server: how the route reads in the API's documentation. */
export type RouteDocs = {
  tags: string[];
  summary: string;
  description?: string;
  consumes?: string[];
};

/** A route's method, url and schemas, taken from the contract's table so they cannot drift from it. */
export function fromContract<const R extends RouteSpec>({ method, url, ...schemas }: R, docs: RouteDocs) {
  return { method, url, schema: { ...schemas, ...docs } };
}
