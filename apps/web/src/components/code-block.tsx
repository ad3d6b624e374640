/**
 * Code as written, in a dark box: lines never wrap (a wrapped line breaks Python's indentation and hides
 * where a line ends); a long one scrolls sideways inside the box.
 */
export function CodeBlock({ children }: { children: string }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a box that scrolls must take focus, or a keyboard cannot scroll it (WCAG 2.1.1)
    <pre className="code" tabIndex={0}>
      {children}
    </pre>
  );
}
