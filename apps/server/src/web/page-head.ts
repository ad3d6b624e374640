/** What a shared link previews: the page's title and description, for browsers, search engines and chat apps. */
export type PageHead = { title: string; description: string; url: string };

const START = '<!-- page-head -->';
const END = '<!-- /page-head -->';
const DESCRIPTION_LIMIT = 300;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A description is one line of plain text: Markdown-ish line breaks and long texts make poor previews. */
function summary(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= DESCRIPTION_LIMIT
    ? oneLine
    : `${oneLine.slice(0, DESCRIPTION_LIMIT - 1).trimEnd()}…`;
}

export function renderHead({ title, description, url }: PageHead): string {
  const t = escapeHtml(title);
  const d = escapeHtml(summary(description));
  return [
    `<title>${t}</title>`,
    `<meta name="description" content="${d}" />`,
    '<meta property="og:type" content="website" />',
    '<meta property="og:site_name" content="Proofdrop" />',
    `<meta property="og:title" content="${t}" />`,
    `<meta property="og:description" content="${d}" />`,
    `<meta property="og:url" content="${escapeHtml(url)}" />`,
    '<meta name="twitter:card" content="summary" />',
    `<meta name="twitter:title" content="${t}" />`,
    `<meta name="twitter:description" content="${d}" />`,
  ].join('\n    ');
}

/** The built index.html with its marked head section replaced; a template without the markers is kept as is. */
export function withHead(template: string, head: PageHead): string {
  const start = template.indexOf(START);
  const end = template.indexOf(END, start);
  if (start === -1 || end === -1) return template;
  return `${template.slice(0, start + START.length)}\n    ${renderHead(head)}\n    ${template.slice(end)}`;
}
