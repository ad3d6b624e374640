import { textLinks } from '../lib/text-links';

/**
 * A host's text with its web addresses as links, opened in a new tab. The text is never parsed as HTML:
 * each address becomes an element of its own, the rest stays text.
 */
export function LinkedText({ text }: { text: string }) {
  return (
    <>
      {textLinks(text).map((part, i) =>
        'href' in part ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one text, in its order, which does not change
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer nofollow ugc">
            {part.href}
          </a>
        ) : (
          part.text
        ),
      )}
    </>
  );
}
