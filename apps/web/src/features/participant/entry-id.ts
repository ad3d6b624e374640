/**
 * An entry id shown in public (winners, the list), shortened: enough to recognise one's own, and easy to
 * compare with the proof page, which shows the ids in full.
 */
export function maskEntryId(id: string): string {
  const prefixEnd = id.indexOf('_') + 1;
  const body = id.slice(prefixEnd);
  if (body.length <= 10) return id;
  return `${id.slice(0, prefixEnd)}${body.slice(0, 4)}…${body.slice(-4)}`;
}
