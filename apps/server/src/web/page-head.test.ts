import { describe, expect, it } from 'vitest';
import { renderHead, withHead } from './page-head.js';

const template = `<head>\n<!-- page-head -->\n<title>Proofdrop</title>\n<!-- /page-head -->\n<script src="/a.js"></script></head>`;

describe('page head', () => {
  it('carries the title and description into the title, the description and the Open Graph tags', () => {
    const html = withHead(template, {
      title: 'Summer Drop',
      description: 'Win a bike',
      url: 'https://x.test/g/summer',
    });
    expect(html).toContain('<title>Summer Drop</title>');
    expect(html).toContain('<meta name="description" content="Win a bike" />');
    expect(html).toContain('<meta property="og:title" content="Summer Drop" />');
    expect(html).toContain('<meta property="og:description" content="Win a bike" />');
    expect(html).toContain('<meta property="og:url" content="https://x.test/g/summer" />');
    expect(html).not.toContain('<title>Proofdrop</title>');
    expect(html).toContain('<script src="/a.js"></script>');
  });

  it('escapes markup and quotes, so a title cannot break out of its tag or attribute', () => {
    const head = renderHead({
      title: '</title><script>alert(1)</script>',
      description: '" onload="x',
      url: 'https://x.test/g/a',
    });
    expect(head).not.toContain('<script>');
    expect(head).toContain('&#60;/title&#62;&#60;script&#62;');
    expect(head).toContain('content="&#34; onload=&#34;x"');
  });

  it('previews a long description as one shortened line', () => {
    const head = renderHead({ title: 't', description: `line one\n\nline two ${'x'.repeat(400)}`, url: 'u' });
    const description = /name="description" content="([^"]*)"/.exec(head)?.[1] ?? '';
    expect(description.startsWith('line one line two')).toBe(true);
    expect(description.length).toBeLessThanOrEqual(300);
    expect(description.endsWith('…')).toBe(true);
  });

  it('keeps a template without the markers as it is', () => {
    expect(withHead('<title>x</title>', { title: 'y', description: '', url: '' })).toBe('<title>x</title>');
  });
});
