/** An address in text, up to a space; a full stop or bracket that ends a sentence is not part of it. */
const ADDRESS = /(https?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)\]])/;

/** A text in its parts, in order: `{ text }` as it is, `{ href }` for each web address in it. */
export type TextPart = { text: string } | { href: string };

export function textLinks(text: string): TextPart[] {
  return text
    .split(ADDRESS)
    .flatMap((part, i): TextPart[] => (i % 2 === 1 ? [{ href: part }] : part === '' ? [] : [{ text: part }]));
}
